// A drop is never silent: it becomes a gap record that travels upstream like any other frame. The codec has no
// event-frame encoder yet that the store may depend on, so a gap record is a small JSON document (docs/store.md).
import type { Frame } from "../pipeline/frame.js";
import { Priority } from "../model.js";

export const GAP_CODEC = "gap+json";

export type DropReason = "overflow" | "disk-full" | "quarantine";

export interface GapRange {
  stream: string;
  reason: DropReason;
  frames: number;
  samples: number;
  tFirst: number;
  tLast: number;
}

export interface GapRecord extends GapRange {
  type: "gap";
}

export function gapKey(stream: string, reason: DropReason): string {
  return `${reason}\u0000${stream}`;
}

/** Widens a pending gap with one more dropped frame (gaps of one stream and reason merge, so memory stays small). */
export function mergeGap(gaps: Map<string, GapRange>, d: Omit<GapRange, "frames"> & { frames?: number }): void {
  const key = gapKey(d.stream, d.reason);
  const g = gaps.get(key);
  if (!g) {
    gaps.set(key, { frames: 1, ...d });
    return;
  }
  g.frames += d.frames ?? 1;
  g.samples += d.samples;
  g.tFirst = Math.min(g.tFirst, d.tFirst);
  g.tLast = Math.max(g.tLast, d.tLast);
}

export function gapFrame(g: GapRange, seq: number): Frame {
  const record: GapRecord = { type: "gap", ...g };
  return {
    stream: g.stream,
    seq,
    priority: Priority.event,
    bytes: new TextEncoder().encode(JSON.stringify({ ...record, seq })),
    codec: GAP_CODEC,
    samples: 0,
    tFirst: g.tFirst,
    tLast: g.tLast,
    untrusted: false,
    urgent: true,
  };
}

export function decodeGapRecord(bytes: Uint8Array): (GapRecord & { seq: number }) | null {
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as GapRecord & { seq: number };
    return v && v.type === "gap" ? v : null;
  } catch {
    return null;
  }
}
