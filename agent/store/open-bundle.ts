// One row per grouped commit for the open-batch checkpoints: the parts that commit adds (any number of streams) and
// the batches it closes. With 100 temperature streams a commit used to insert 100 part rows and, as their batches
// closed, delete as many: most of the commit's SQLite work and of its dirty WAL pages, for a few bytes each.
//
// Replaying the rows in id order rebuilds what was open: add each row's parts, then drop the batches it closes (a
// batch's parts all precede its closing, in the same row or earlier ones). A row can be deleted once every batch
// with a part in it has closed, which the store knows from the row holding each open batch's first part.
//
// Layout (little-endian), local to one gateway and free to change while old rows are still read:
//   u8 version (1), u32 P, then P parts: str stream, f64 seq, u8 priority, u32 part, u32 samples, u32 n, n bytes;
//   u32 C, then C closed batches: str stream, f64 seq.   (str: u16 byte length, then UTF-8)
import type { OpenPart } from "../pipeline/frame.js";
import type { PriorityLevel } from "../model.js";

const VERSION = 1;

/** A batch by stream and sequence number. */
export interface BatchRef {
  stream: string;
  seq: number;
}

export interface OpenBundle {
  parts: OpenPart[];
  closed: BatchRef[];
}

export class OpenBundleError extends Error {}

export function encodeOpenBundle(bundle: OpenBundle): Uint8Array {
  let size = 1 + 4 + 4;
  for (const p of bundle.parts) size += 2 + nameBytes(p.stream) + 8 + 1 + 4 + 4 + 4 + p.bytes.byteLength;
  for (const c of bundle.closed) size += 2 + nameBytes(c.stream) + 8;
  const out = Buffer.allocUnsafe(size);
  let o = out.writeUInt8(VERSION, 0);
  const str = (s: string): void => {
    o = out.writeUInt16LE(Buffer.byteLength(s, "utf8"), o);
    o += out.write(s, o, "utf8");
  };
  o = out.writeUInt32LE(bundle.parts.length, o);
  for (const p of bundle.parts) {
    str(p.stream);
    o = out.writeDoubleLE(p.seq, o);
    o = out.writeUInt8(p.priority, o);
    o = out.writeUInt32LE(p.part, o);
    o = out.writeUInt32LE(p.samples, o);
    o = out.writeUInt32LE(p.bytes.byteLength, o);
    out.set(p.bytes, o);
    o += p.bytes.byteLength;
  }
  o = out.writeUInt32LE(bundle.closed.length, o);
  for (const c of bundle.closed) {
    str(c.stream);
    o = out.writeDoubleLE(c.seq, o);
  }
  return out;
}

function nameBytes(s: string): number {
  const n = Buffer.byteLength(s, "utf8");
  if (n > 0xffff) throw new OpenBundleError(`stream name of ${n} bytes`);
  return n;
}

export function decodeOpenBundle(bytes: Uint8Array): OpenBundle {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  const need = (n: number): void => {
    if (o + n > b.length) throw new OpenBundleError("open-batch bundle is truncated");
  };
  const u8 = (): number => (need(1), b.readUInt8((o += 1) - 1));
  const u32 = (): number => (need(4), b.readUInt32LE((o += 4) - 4));
  const f64 = (): number => (need(8), b.readDoubleLE((o += 8) - 8));
  const str = (): string => {
    need(2);
    const n = b.readUInt16LE(o);
    o += 2;
    need(n);
    return b.toString("utf8", o, (o += n));
  };
  const version = u8();
  if (version !== VERSION) throw new OpenBundleError(`open-batch bundle of unknown version ${version}`);
  const parts: OpenPart[] = [];
  for (let i = u32(); i > 0; i--) {
    const stream = str();
    const seq = f64();
    const priority = u8() as PriorityLevel;
    const part = u32();
    const samples = u32();
    const n = u32();
    need(n);
    parts.push({ stream, seq, priority, part, samples, bytes: b.subarray(o, (o += n)) });
  }
  const closed: BatchRef[] = [];
  for (let i = u32(); i > 0; i--) closed.push({ stream: str(), seq: f64() });
  if (o !== b.length) throw new OpenBundleError("open-batch bundle has trailing bytes");
  return { parts, closed };
}

/** The batches still open after replaying bundles in order: their parts, in order, by batch. */
export function replayOpenBundles(bundles: Iterable<OpenBundle>): Map<string, { stream: string; seq: number; priority: number; parts: Uint8Array[] }> {
  const open = new Map<string, { stream: string; seq: number; priority: number; parts: Uint8Array[] }>();
  for (const bundle of bundles) {
    for (const p of bundle.parts) {
      const k = batchKey(p.stream, p.seq);
      let b = open.get(k);
      if (!b) open.set(k, (b = { stream: p.stream, seq: p.seq, priority: p.priority, parts: [] }));
      b.parts.push(p.bytes);
    }
    for (const c of bundle.closed) open.delete(batchKey(c.stream, c.seq));
  }
  return open;
}

export function batchKey(stream: string, seq: number): string {
  return `${seq} ${stream}`;
}
