// Moves a frame's timestamps once the wall clock becomes trusted. Absolute time lives only in the header's t0
// (everything else is relative to it), so this rewrites 6 bytes, one flag and the CRC, in any format version.
import { FrameError } from "./errors.js";
import { checkFrame, FLAG_UNTRUSTED, KIND_FLAGS_OFFSET, layoutOf, writeCrc } from "./header.js";

export function restampFrame(bytes: Uint8Array, deltaMs: number): Uint8Array {
  if (!Number.isSafeInteger(deltaMs)) throw new RangeError(`deltaMs ${deltaMs} must be an integer`);
  const length = checkFrame(bytes);
  if (length !== bytes.length) throw new FrameError(`malformed input: ${bytes.length - length} bytes after the frame`);
  const at = layoutOf(bytes[1]).t0;
  const out = bytes.slice();
  let u = 0;
  for (let i = 5; i >= 0; i--) u = u * 256 + out[at + i];
  const t0 = (u >= 2 ** 47 ? u - 2 ** 48 : u) + deltaMs;
  if (Math.abs(t0) >= 2 ** 47) throw new RangeError(`restamped t0 ${t0} is outside +-2^47 ms`);
  let v = t0 < 0 ? t0 + 2 ** 48 : t0;
  for (let i = 0; i < 6; i++) {
    out[at + i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[KIND_FLAGS_OFFSET] &= ~FLAG_UNTRUSTED;
  writeCrc(out);
  return out;
}
