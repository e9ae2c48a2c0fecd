// The raw form of open-batch checkpoints (OpenPart.bytes) and the frame rebuilt from them after a crash. Raw, not
// encoded: a checkpoint runs with every grouped commit, and re-encoding a growing batch each time cost more CPU than
// encoding it once at the end. Local to one gateway (never on the wire), so the layout is free to change between
// versions as long as a part written by the previous one is still read.
//
// Layout (little-endian): u8 kind (1 = irregular samples, 2 = regular block), u8 width, u16 reserved, u32 n,
// u32 header length h, h bytes of JSON header (part 0 only, else h = 0), zero padding to a multiple of 8, then
// float64s: for kind 1 the n times, then the n values of each channel in turn; for kind 2 the values only.
import type { ChannelInfo } from "../../drivers/types.js";
import { FrameError } from "./errors.js";
import { encodeFrame } from "./frame.js";
import type { EncodedFrame, FrameInput, HeaderForm } from "./frame-types.js";

const KIND_SAMPLES = 1;
const KIND_BLOCK = 2;
const FIXED = 12;

/** What part 0 says about the whole batch: enough to encode it exactly as the batcher would have. */
export interface OpenBatchHeader {
  channels: ChannelInfo[];
  untrusted: boolean;
  /** The stream's header form (absent in parts written before it existed: full). */
  header?: HeaderForm;
  maxError?: number;
  heartbeatMs?: number;
  t0?: number;
  rateHz?: number;
  gapBefore?: { lostSamples?: number; reason: string };
}

/** Samples [from, to) of an open batch as a part; `header` only for part 0. Times are omitted for a block. */
export function encodeOpenPart(header: OpenBatchHeader | undefined, times: ArrayLike<number> | undefined, values: ArrayLike<number>[], from: number, to: number): Uint8Array {
  const n = to - from;
  const head = header ? JSON.stringify(header) : "";
  const headLength = Buffer.byteLength(head, "utf8");
  const dataOffset = Math.ceil((FIXED + headLength) / 8) * 8;
  const floats = (times ? n : 0) + values.length * n;
  // From Buffer's shared pool, written field by field: a commit makes one part per open batch (a hundred a second
  // with a hundred sensors), mostly of one sample, and a typed array with views of its own for each was a separate
  // allocation and most of the checkpoint's CPU.
  const out = Buffer.allocUnsafe(dataOffset + floats * 8);
  out.writeUInt8(times ? KIND_SAMPLES : KIND_BLOCK, 0);
  out.writeUInt8(values.length, 1);
  out.writeUInt16LE(0, 2);
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(headLength, 8);
  if (headLength > 0) out.write(head, FIXED, "utf8");
  out.fill(0, FIXED + headLength, dataOffset);
  let o = dataOffset;
  if (times) for (let i = from; i < to; i++) o = out.writeDoubleLE(times[i], o);
  for (const ch of values) for (let i = from; i < to; i++) o = out.writeDoubleLE(ch[i], o);
  return out;
}

interface DecodedPart {
  kind: number;
  header?: OpenBatchHeader;
  times: number[];
  values: number[][];
}

function decodePart(bytes: Uint8Array): DecodedPart {
  if (bytes.byteLength < FIXED) throw new FrameError("open-batch part too short");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = dv.getUint8(0);
  const width = dv.getUint8(1);
  const n = dv.getUint32(4, true);
  const h = dv.getUint32(8, true);
  if (kind !== KIND_SAMPLES && kind !== KIND_BLOCK) throw new FrameError(`open-batch part of unknown kind ${kind}`);
  const dataOffset = Math.ceil((FIXED + h) / 8) * 8;
  const floats = (kind === KIND_SAMPLES ? n : 0) + width * n;
  if (bytes.byteLength !== dataOffset + floats * 8) throw new FrameError("open-batch part has the wrong length");
  let header: OpenBatchHeader | undefined;
  if (h > 0) {
    try {
      header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + FIXED, h).toString("utf8")) as OpenBatchHeader;
    } catch {
      throw new FrameError("open-batch part header is not JSON");
    }
  }
  // Copied out: the part's bytes need not be 8-byte aligned in memory (and a Buffer's slice is a view).
  const aligned = new Uint8Array(floats * 8);
  aligned.set(bytes.subarray(dataOffset, dataOffset + floats * 8));
  const f = new Float64Array(aligned.buffer);
  let k = 0;
  const times = kind === KIND_SAMPLES ? Array.from(f.subarray(0, (k = n))) : [];
  const values = Array.from({ length: width }, (_, c) => Array.from(f.subarray(k + c * n, k + (c + 1) * n)));
  return { kind, header, times, values };
}

/** The frame an open batch would have closed as, from its parts in order (part 0 first). */
export function frameFromOpenParts(stream: string, seq: number, parts: Uint8Array[]): EncodedFrame & { untrusted: boolean } {
  return { ...encodeOpenBatch(stream, seq, parts), untrusted: parts.length > 0 && decodePart(parts[0]).header?.untrusted === true };
}

function encodeOpenBatch(stream: string, seq: number, parts: Uint8Array[]): EncodedFrame {
  const decoded = parts.map(decodePart);
  const first = decoded[0];
  if (!first?.header) throw new FrameError("open batch without its first part");
  const { header } = first;
  if (decoded.some((d) => d.kind !== first.kind || d.values.length !== header.channels.length)) throw new FrameError("open-batch parts disagree");
  const values = header.channels.map((_, c) => decoded.flatMap((d) => d.values[c]));
  return encodeFrame(batchFrameInput(stream, seq, header, first.kind === KIND_BLOCK ? undefined : decoded.flatMap((d) => d.times), values));
}

/**
 * The frame input of a batch: a regular block when `times` is absent (t0 and rate in the header), else irregular
 * samples. The batcher closes its batches through it and a crash rebuild uses it on the parts, so both encode alike.
 */
export function batchFrameInput(stream: string, seq: number, header: OpenBatchHeader, times: ArrayLike<number> | undefined, values: ArrayLike<number>[]): FrameInput {
  const common = { stream, seq, header: header.header, untrusted: header.untrusted, channels: header.channels, values };
  if (times === undefined) return { kind: "regular", ...common, t0: header.t0!, rateHz: header.rateHz!, ...(header.gapBefore ? { gapBefore: header.gapBefore } : {}) };
  return { kind: "irregular", ...common, times, ...(header.maxError !== undefined ? { maxError: header.maxError, heartbeatMs: header.heartbeatMs } : {}) };
}
