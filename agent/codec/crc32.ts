// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) over a frame. Node's zlib computes it natively.
import { crc32 as zlibCrc32 } from "node:zlib";

export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}
