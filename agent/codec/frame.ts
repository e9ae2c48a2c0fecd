// Encoder and decoder of the batch frame, byte for byte as docs/wire-format.md describes it.
import { ByteReader, ByteWriter } from "./bytes.js";
import { gridDoor, swingingDoor } from "./bounded.js";
import { BitReader, BitWriter } from "./bit-io.js";
import { crc32 } from "./crc32.js";
import { FrameError } from "./errors.js";
import { RangeDecoder, RangeEncoder, MAX_IMPLIED_ZEROS } from "./range-coder.js";
import { decodeLpcRice, encodeLpcRice, RICE_VALUE_LIMIT } from "./lpc-rice.js";
import { MIN_BITS_PER_SAMPLE } from "./rice.js";
import { decodeTimes, encodeTimes, planTimes, type TimeMode } from "./timestamps.js";
import { decodeValues, encodeValues, MAX_COUNT, type PredictorName } from "./values.js";
import {
  FORMAT_VERSION,
  MAGIC,
  type CodecKind,
  type DecodedChannel,
  type DecodedFrame,
  type EncodedFrame,
  type EventItem,
  type FrameInput,
  type SeriesKind,
} from "./frame-types.js";
import type { ChannelInfo } from "../../drivers/types.js";

const KIND_CODE: Record<SeriesKind, number> = { irregular: 1, regular: 2, event: 3 };
const KIND_NAME: SeriesKind[] = ["irregular", "irregular", "regular", "event"];
const CODEC_CODE: Record<CodecKind, number> = { events: 0, lossless: 1, bounded: 2 };
/** Codec 3: lossless, regular series only, with the LPC + partitioned Rice entropy stage instead of the range coder. */
const CODEC_LOSSLESS_RICE = 3;
const CODEC_NAME: CodecKind[] = ["events", "lossless", "bounded", "lossless"];
const SEVERITY: (EventItem["severity"] | undefined)[] = [undefined, "info", "warning", "critical"];

export const FLAG_UNTRUSTED = 0x10;
export const FLAG_GAP = 0x20;
const KNOWN_BITS = 0x03 | FLAG_UNTRUSTED | FLAG_GAP;
/** Offsets of the fixed part of the header (identical in every format version). */
export const OFFSET = { magic: 0, version: 1, kindFlags: 2, codec: 3, t0: 4, length: 10 } as const;
const MIN_FRAME = 15;
/** Decoder guard: a frame never claims more samples than this (memory bound for a hostile input). */
export const MAX_FRAME_SAMPLES = 1 << 24;
const TIME_LIMIT = 2 ** 47;

function checkTime(t: number, what: string): void {
  if (!Number.isSafeInteger(t) || Math.abs(t) >= TIME_LIMIT) throw new RangeError(`${what} ${t} is not an integer epoch ms within +-2^47`);
}

function checkChannels(channels: ChannelInfo[], values: ArrayLike<number>[], n: number): void {
  if (channels.length < 1 || channels.length > 255) throw new RangeError(`a frame has 1 to 255 channels, got ${channels.length}`);
  if (values.length !== channels.length) throw new RangeError(`${channels.length} channels but ${values.length} value arrays`);
  const limit = MAX_COUNT; // a local: an imported binding in a hot loop costs an accessor call under some loaders
  for (const [c, v] of values.entries()) {
    if (v.length !== n) throw new RangeError(`channel ${channels[c].name} has ${v.length} values, expected ${n}`);
    if (isSmallIntArray(v)) continue; // every element is an integer far inside the limit
    for (let i = 0; i < n; i++) {
      if (!Number.isSafeInteger(v[i]) || Math.abs(v[i]) >= limit) throw new RangeError(`channel ${channels[c].name} value ${v[i]} at ${i} is not an integer count within +-2^46`);
    }
  }
}

function isNarrowIntArray(v: ArrayLike<number>): boolean {
  return v instanceof Int16Array || v instanceof Uint16Array || v instanceof Int8Array || v instanceof Uint8Array;
}

function isSmallIntArray(v: ArrayLike<number>): boolean {
  return v instanceof Int32Array || isNarrowIntArray(v);
}

/** Whether codec 3 takes these counts: all in [-2^24, 2^24) (for Int32Array an OR, cheaper than comparing). */
function fitsRice(v: ArrayLike<number>): boolean {
  if (isNarrowIntArray(v)) return true;
  const limit = RICE_VALUE_LIMIT;
  if (v instanceof Int32Array) {
    // v + 2^24 is in [0, 2^25) for every count that fits; any other sets bit 25 or up, or the sign.
    let bits = 0;
    for (let i = 0; i < v.length; i++) bits |= v[i] + limit;
    return bits >= 0 && bits < 2 * limit;
  }
  for (let i = 0; i < v.length; i++) if (!(v[i] < limit && v[i] >= -limit)) return false;
  return true;
}

function summarize(chosen: PredictorName[][]): string {
  const counts = new Map<string, number>();
  for (const ch of chosen) for (const p of ch) counts.set(p, (counts.get(p) ?? 0) + 1);
  let best = "none";
  let most = 0;
  for (const [p, n] of counts) if (n > most) [best, most] = [p, n];
  return best;
}

export function encodeFrame(input: FrameInput): EncodedFrame {
  if (!Number.isSafeInteger(input.seq) || input.seq < 0) throw new RangeError(`seq ${input.seq} is not a non-negative integer`);
  const body = new ByteWriter(); // everything after the length field
  body.varint(input.seq);
  let codec: CodecKind;
  let t0: number;
  let flags = input.untrusted ? FLAG_UNTRUSTED : 0;
  let summary = "";
  let codecCode: number | undefined;
  let samples: number;
  let tFirst: number;
  let tLast: number;
  if (input.kind === "event") {
    codec = "events";
    const ev = input.events;
    t0 = ev.length ? ev[0].t : 0;
    body.varint(ev.length);
    body.str(input.stream);
    let prev = t0;
    for (const e of ev) {
      checkTime(e.t, "event time");
      body.svarint(e.t - prev);
      prev = e.t;
      body.u8(e.severity ? SEVERITY.indexOf(e.severity) : 0);
      body.str(e.type);
      body.str(JSON.stringify(e.data ?? {}));
    }
    samples = ev.length;
    tFirst = t0;
    tLast = prev;
  } else if (input.kind === "irregular") {
    let times = input.times;
    let values = input.values;
    const n = times.length;
    checkChannels(input.channels, values, n);
    for (let i = 0; i < n; i++) checkTime(times[i], "time");
    codec = input.maxError !== undefined ? "bounded" : "lossless";
    if (input.maxError !== undefined) {
      if (!(input.maxError >= 0) || !Number.isFinite(input.maxError)) throw new RangeError(`maxError ${input.maxError} must be a finite number >= 0`);
      const bounds = input.channels.map((c) => (c.scale === 0 ? 0 : input.maxError! / Math.abs(c.scale)));
      const heartbeat = input.heartbeatMs ?? 900_000;
      const grid = gridDoor(times, values, bounds, heartbeat);
      if (grid) {
        times = grid.times;
        values = grid.values;
      } else {
        const keep = swingingDoor(times, values, bounds, heartbeat);
        const [t, v] = [times, values];
        times = keep.map((i) => t[i]);
        values = v.map((ch) => keep.map((i) => ch[i]));
      }
    }
    const m = times.length;
    t0 = m ? times[0] : 0;
    body.varint(m);
    body.str(input.stream);
    writeChannels(body, input.channels);
    const plan = planTimes(times);
    body.varint(plan.quantum);
    body.u8(plan.mode);
    body.svarint(plan.nominal);
    if (codec === "bounded") body.decimal(input.maxError!);
    const enc = new RangeEncoder();
    encodeTimes(enc, times, plan);
    const chosen = values.map((v) => encodeValues(enc, Float64Array.from(v), false));
    body.bytes(enc.finish());
    summary = summarize(chosen);
    samples = n;
    tFirst = n ? input.times[0] : 0;
    tLast = n ? input.times[n - 1] : 0;
  } else {
    const n = input.values[0]?.length ?? 0;
    checkChannels(input.channels, input.values, n);
    if (!(input.rateHz > 0) || !Number.isFinite(input.rateHz)) throw new RangeError(`rateHz ${input.rateHz} must be a positive number`);
    t0 = Math.round(input.t0);
    checkTime(t0, "t0");
    codec = "lossless";
    if (input.gapBefore) flags |= FLAG_GAP;
    body.varint(n);
    body.str(input.stream);
    writeChannels(body, input.channels);
    body.decimal(input.rateHz);
    if (input.gapBefore) {
      const lost = input.gapBefore.lostSamples;
      body.varint(lost === undefined ? 0 : Math.max(0, Math.round(lost)) + 1);
      body.str(input.gapBefore.reason);
    }
    const values = input.values.map((v) => new Float64Array(v));
    if (input.values.every(fitsRice)) {
      codecCode = CODEC_LOSSLESS_RICE;
      const w = new BitWriter(n * values.length * 2 + 16);
      summary = `${summarize(values.map((v) => encodeLpcRice(w, v)))}-rice`;
      body.bytes(w.finish());
    } else {
      const enc = new RangeEncoder();
      summary = summarize(values.map((v) => encodeValues(enc, v, true)));
      body.bytes(enc.finish());
    }
    samples = n;
    tFirst = t0;
    tLast = n ? t0 + ((n - 1) * 1000) / input.rateHz : t0;
  }
  const head = new ByteWriter();
  head.u8(MAGIC);
  head.u8(FORMAT_VERSION);
  head.u8(KIND_CODE[input.kind] | flags);
  head.u8(codecCode ?? CODEC_CODE[codec]);
  head.i48(t0);
  // The length field counts itself: find the varint size that is consistent with the total it encodes.
  const rest = head.length + body.length + 4;
  let size = 1;
  while (varintSize(rest + size) !== size) size++;
  head.varint(rest + size);
  head.bytes(body.finish());
  head.u32(0);
  const bytes = head.finish();
  writeCrc(bytes);
  return { bytes, codec: summary ? `${codec}/${summary}` : codec, samples, tFirst, tLast };
}

function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

export function writeCrc(frame: Uint8Array): void {
  const c = crc32(frame.subarray(0, frame.length - 4));
  new DataView(frame.buffer, frame.byteOffset + frame.length - 4, 4).setUint32(0, c, true);
}

function writeChannels(w: ByteWriter, channels: ChannelInfo[]): void {
  w.u8(channels.length);
  for (const c of channels) {
    w.str(c.name);
    w.str(c.unit);
    w.decimal(c.scale);
    w.decimal(c.offset);
  }
}

/**
 * Checks magic, version, length and CRC of the frame starting at `offset` and returns its length in bytes.
 * Throws a FrameError saying what is wrong; nothing of a frame is trusted before this passes.
 */
export function checkFrame(bytes: Uint8Array, offset = 0): number {
  const avail = bytes.length - offset;
  if (avail < MIN_FRAME) throw new FrameError(`truncated frame: ${avail} bytes, a frame has at least ${MIN_FRAME}`);
  if (bytes[offset] !== MAGIC) throw new FrameError(`not an edge-agent frame: first byte 0x${bytes[offset].toString(16)}, expected 0xea`);
  const version = bytes[offset + OFFSET.version];
  if (version !== FORMAT_VERSION) throw new FrameError(`unsupported frame version ${version} (this decoder reads version ${FORMAT_VERSION})`);
  const r = new ByteReader(bytes, offset + OFFSET.length);
  const length = r.varint("frame length");
  if (length < MIN_FRAME || length < r.pos - offset + 4) throw new FrameError(`malformed frame: length ${length} is too small`);
  if (length > avail) throw new FrameError(`truncated frame: header says ${length} bytes, only ${avail} present`);
  const stored = new ByteReader(bytes, offset + length - 4).u32();
  const actual = crc32(bytes.subarray(offset, offset + length - 4));
  if (stored !== actual) throw new FrameError(`corrupt frame: CRC-32 is 0x${actual.toString(16)}, frame says 0x${stored.toString(16)}`);
  return length;
}

/** Decodes exactly one frame; `bytes` must hold that frame and nothing else (see decodeFrames for a file). */
export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  const f = decodeFrameAt(bytes, 0);
  if (f.byteLength !== bytes.length) throw new FrameError(`malformed input: ${bytes.length - f.byteLength} bytes after the frame`);
  return f;
}

/** Decodes concatenated frames (a codec file, a store export). */
export function decodeFrames(bytes: Uint8Array): DecodedFrame[] {
  const out: DecodedFrame[] = [];
  for (let off = 0; off < bytes.length; ) {
    const f = decodeFrameAt(bytes, off);
    out.push(f);
    off += f.byteLength;
  }
  return out;
}

export function decodeFrameAt(bytes: Uint8Array, offset: number): DecodedFrame {
  const length = checkFrame(bytes, offset);
  const end = offset + length - 4;
  const kf = bytes[offset + OFFSET.kindFlags];
  if (kf & ~KNOWN_BITS) throw new FrameError(`malformed frame: unknown flag bits 0x${(kf & ~KNOWN_BITS).toString(16)}`);
  const kindCode = kf & 0x03;
  if (kindCode === 0) throw new FrameError("malformed frame: series kind 0");
  const kind = KIND_NAME[kindCode];
  const codecCode = bytes[offset + OFFSET.codec];
  const codec = CODEC_NAME[codecCode];
  if (codec === undefined) throw new FrameError(`unsupported codec ${codecCode}`);
  const rice = codecCode === CODEC_LOSSLESS_RICE;
  if ((kind === "event") !== (codec === "events") || (kind === "regular" && codec === "bounded") || (rice && kind !== "regular")) throw new FrameError(`malformed frame: codec ${codec} with series kind ${kind}`);
  const r = new ByteReader(bytes, offset + OFFSET.t0, end);
  const t0 = r.i48("t0");
  r.varint("frame length");
  const seq = r.varint("seq");
  const count = r.varint("count");
  if (count > MAX_FRAME_SAMPLES) throw new FrameError(`malformed frame: ${count} samples exceeds the limit of ${MAX_FRAME_SAMPLES}`);
  const stream = r.str("stream id");
  const frame: DecodedFrame = {
    version: FORMAT_VERSION,
    kind,
    codec,
    stream,
    seq,
    untrusted: (kf & FLAG_UNTRUSTED) !== 0,
    t0,
    count,
    times: new Float64Array(0),
    channels: [],
    predictors: [],
    byteLength: length,
  };
  if (kind === "event") {
    if (count > end - r.pos) throw new FrameError(`malformed frame: ${count} events cannot fit in ${end - r.pos} bytes`);
    frame.times = new Float64Array(count);
    const events: EventItem[] = [];
    let t = t0;
    for (let i = 0; i < count; i++) {
      t += r.svarint("event time");
      const sev = r.u8("severity");
      if (sev >= SEVERITY.length) throw new FrameError(`malformed frame: severity ${sev}`);
      const type = r.str("event type");
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(r.str("event data")) as Record<string, unknown>;
      } catch (e) {
        if (e instanceof FrameError) throw e;
        throw new FrameError("malformed frame: event data is not JSON");
      }
      const item: EventItem = { t, type, data };
      if (SEVERITY[sev]) item.severity = SEVERITY[sev];
      events.push(item);
      frame.times[i] = t;
    }
    frame.events = events;
    if (r.pos !== end) throw new FrameError(`malformed frame: ${end - r.pos} unexpected bytes after the events`);
    return frame;
  }
  frame.channels = readChannels(r);
  let mode: TimeMode = 0;
  let quantum = 1;
  let nominal = 0;
  if (kind === "irregular") {
    quantum = r.varint("time quantum");
    const m = r.u8("time mode");
    if (m > 1 || quantum < 1) throw new FrameError(`malformed frame: time mode ${m}, quantum ${quantum}`);
    mode = m as TimeMode;
    nominal = r.svarint("nominal interval");
    frame.timeQuantumMs = quantum;
    if (codec === "bounded") frame.maxError = r.decimal("max error");
  } else {
    const rate = r.decimal("rate");
    if (!(rate > 0) || !Number.isFinite(rate)) throw new FrameError(`malformed frame: rate ${rate}`);
    frame.rateHz = rate;
    if (kf & FLAG_GAP) {
      const lost = r.varint("lost samples");
      const reason = r.str("gap reason");
      frame.gapBefore = lost === 0 ? { reason } : { lostSamples: lost - 1, reason };
    }
  }
  // The range coder spends at least ~0.06 bits per sample and channel, Rice codes MIN_BITS_PER_SAMPLE: a count
  // beyond that is a lie, not a big frame.
  if (count * frame.channels.length > (rice ? 8 / MIN_BITS_PER_SAMPLE : 130) * (end - r.pos + 8)) throw new FrameError(`malformed frame: ${count} samples cannot fit in ${end - r.pos} payload bytes`);
  frame.times = new Float64Array(count);
  for (const ch of frame.channels) ch.counts = new Float64Array(count);
  if (kind === "regular") {
    const [times, rate] = [frame.times, frame.rateHz!];
    for (let i = 0; i < count; i++) times[i] = t0 + (i * 1000) / rate;
  }
  if (rice) {
    const bits = new BitReader(bytes, r.pos, end);
    for (const ch of frame.channels) {
      const chosen: PredictorName[] = [];
      decodeLpcRice(bits, count, ch.counts, chosen);
      frame.predictors.push(chosen);
    }
    bits.close();
    return frame;
  }
  const dec = new RangeDecoder(bytes, r.pos, end);
  if (kind === "irregular") {
    decodeTimes(dec, t0, count, { quantum, mode, nominal }, frame.times);
    for (let i = 0; i < count; i++) {
      if (!Number.isSafeInteger(frame.times[i]) || Math.abs(frame.times[i]) >= TIME_LIMIT) throw new FrameError("malformed frame: timestamp out of range");
    }
  }
  for (const ch of frame.channels) {
    const chosen: PredictorName[] = [];
    decodeValues(dec, count, ch.counts, chosen);
    frame.predictors.push(chosen);
  }
  if (dec.overrun() > MAX_IMPLIED_ZEROS) throw new FrameError("truncated frame: payload ended before its samples");
  return frame;
}

function readChannels(r: ByteReader): DecodedChannel[] {
  const n = r.u8("channel count");
  if (n === 0) throw new FrameError("malformed frame: no channels");
  const out: DecodedChannel[] = [];
  for (let c = 0; c < n; c++) {
    const name = r.str("channel name");
    const unit = r.str("unit");
    const scale = r.decimal("scale");
    const offset = r.decimal("offset");
    out.push({ name, unit, scale, offset, counts: new Float64Array(0) });
  }
  return out;
}
