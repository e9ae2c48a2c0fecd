// Plain-JSON view of a decoded frame, for the golden files.
import type { DecodedFrame } from "../../../agent/codec/index.js";

export function snapshot(f: DecodedFrame): unknown {
  return {
    ...f,
    times: Array.from(f.times),
    channels: f.channels.map((c) => ({ ...c, counts: Array.from(c.counts) })),
  };
}
