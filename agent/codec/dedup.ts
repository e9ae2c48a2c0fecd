// Consumer-side de-duplication on (gateway id, stream, sequence number). QoS 1 delivers at least once and the
// agent resends what was in flight when a link or the process died, so a consumer sees some frames twice.
// A stream is keyed by its 32-bit id (a name is turned into its id), so a frame with a full header, a compact one
// and an MQTT topic all name the same stream; ids are unique among one gateway's streams (config validation).
//
// Hand-written because no library keeps "which integers were seen" in bounded memory for out-of-order
// arrivals: the backlog arrives after live frames with lower numbers, so a sliding window above the highest
// number seen would throw the backlog away. Seen numbers are kept as sorted, merged ranges per stream; in
// steady state that is one or two ranges. Bounds: at most `maxRangesPerStream` ranges (beyond that the two
// lowest merge, so a frame arriving inside that old gap much later is taken for a duplicate) and at most
// `maxStreams` streams (least recently used forgotten first, so a very late frame of a forgotten stream may
// pass twice).

import type { DecodedFrame } from "./frame-types.js";
import { streamId } from "./stream-id.js";

export interface DeduplicatorOptions {
  maxStreams?: number;
  maxRangesPerStream?: number;
}

export class Deduplicator {
  private readonly streams = new Map<string, number[]>();
  private readonly maxStreams: number;
  private readonly maxRanges: number;
  private duplicates = 0;

  constructor(opts: DeduplicatorOptions = {}) {
    this.maxStreams = opts.maxStreams ?? 10_000;
    this.maxRanges = opts.maxRangesPerStream ?? 1024;
  }

  /** True the first time (gatewayId, stream, seq) is seen, false for a duplicate. `stream`: its name or its id. */
  accept(gatewayId: string, stream: string | number, seq: number): boolean {
    const key = `${gatewayId}\u0000${typeof stream === "number" ? stream : streamId(stream)}`;
    let ranges = this.streams.get(key);
    if (ranges) {
      this.streams.delete(key); // re-insert below: Map order is the LRU order
    } else {
      ranges = [];
      if (this.streams.size >= this.maxStreams) this.streams.delete(this.streams.keys().next().value!);
    }
    this.streams.set(key, ranges);
    const fresh = insert(ranges, seq);
    if (!fresh) this.duplicates++;
    if (ranges.length / 2 > this.maxRanges) {
      // Merge the two lowest ranges: forget the oldest gap.
      ranges.splice(1, 2);
    }
    return fresh;
  }

  /** accept() for a decoded frame: its stream id is there whichever header form it has. */
  acceptFrame(gatewayId: string, frame: Pick<DecodedFrame, "streamId" | "seq">): boolean {
    return this.accept(gatewayId, frame.streamId, frame.seq);
  }

  get duplicateCount(): number {
    return this.duplicates;
  }

  /** Number of streams remembered (bounded by maxStreams). */
  get size(): number {
    return this.streams.size;
  }
}

/** `ranges` is a flat sorted list [lo0, hi0, lo1, hi1, ...] of inclusive, disjoint, non-adjacent ranges. */
function insert(ranges: number[], x: number): boolean {
  // Index of the first range whose hi >= x - 1.
  let lo = 0;
  let hi = ranges.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid * 2 + 1] < x - 1) lo = mid + 1;
    else hi = mid;
  }
  const i = lo * 2;
  if (i < ranges.length && ranges[i] <= x && x <= ranges[i + 1]) return false;
  if (i < ranges.length && ranges[i + 1] === x - 1) {
    ranges[i + 1] = x;
    if (i + 2 < ranges.length && ranges[i + 2] === x + 1) {
      ranges[i + 1] = ranges[i + 3];
      ranges.splice(i + 2, 2);
    }
    return true;
  }
  if (i < ranges.length && ranges[i] === x + 1) {
    ranges[i] = x;
    return true;
  }
  ranges.splice(i, 0, x, x);
  return true;
}
