// Encoder and decoder of the batch frame, byte for byte as docs/wire-format.md describes it.
import { ByteWriter } from "./bytes.js";
import { reduceBounded } from "./bounded-reduce.js";
import { BitReader, BitWriter } from "./bit-io.js";
import { FrameError } from "./errors.js";
import { checkFrame, readChannels, readHead, readTimePlan, sealFrame, writeChannels, writeStreamRef, writeTimePlan } from "./header.js";
import { RangeDecoder, RangeEncoder, MAX_IMPLIED_ZEROS } from "./range-coder.js";
import type { TimePlan } from "./timestamps.js";
import { decodeIrregularPayload, encodeIrregularPayload, LATEST_CODING, MAX_SAMPLES_PER_BYTE, type PayloadCoding } from "./irregular-payload.js";
import { decodeLpcRice, encodeLpcRice, RICE_VALUE_LIMIT } from "./lpc-rice.js";
import { MIN_BITS_PER_SAMPLE } from "./rice.js";
import { decodeValues, encodeValues, MAX_COUNT, type PredictorName } from "./values.js";
import {
  type CodecKind,
  type DecodeOptions,
  type DecodedFrame,
  type EncodedFrame,
  type EventItem,
  type FrameInput,
} from "./frame-types.js";
import type { ChannelInfo } from "../../drivers/types.js";

const SEVERITY: (EventItem["severity"] | undefined)[] = [undefined, "info", "warning", "critical"];

export { checkFrame, writeCrc } from "./header.js";
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

/** Whether the Rice stage takes these counts: all in [-2^24, 2^24) (for Int32Array an OR, cheaper than comparing). */
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
  const form = input.header ?? "full";
  if (form !== "full" && form !== "compact") throw new RangeError(`header ${String(form)} must be "full" or "compact"`);
  const body = new ByteWriter(); // everything after the length field
  body.varint(input.seq);
  let codec: CodecKind;
  let t0: number;
  let summary = "";
  let rice = false;
  let samples: number;
  let tFirst: number;
  let tLast: number;
  if (input.kind === "event") {
    codec = "events";
    const ev = input.events;
    t0 = ev.length ? ev[0].t : 0;
    body.varint(ev.length);
    writeStreamRef(body, input.stream, form);
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
      ({ times, values } = reduceBounded(times, values, bounds, input.heartbeatMs ?? 900_000));
    }
    const m = times.length;
    t0 = m ? times[0] : 0;
    body.varint(m);
    writeStreamRef(body, input.stream, form);
    writeChannels(body, input.channels, input.stream, form);
    const { coding, plan, bytes, chosen } = encodeIrregularPayload(times, values, input.payloadCoding ?? LATEST_CODING);
    writeTimePlan(body, plan, coding);
    if (codec === "bounded") body.decimal(input.maxError!);
    body.bytes(bytes);
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
    body.varint(n);
    writeStreamRef(body, input.stream, form);
    writeChannels(body, input.channels, input.stream, form);
    body.decimal(input.rateHz);
    if (input.gapBefore) {
      const lost = input.gapBefore.lostSamples;
      body.varint(lost === undefined ? 0 : Math.max(0, Math.round(lost)) + 1);
      body.str(input.gapBefore.reason);
    }
    const values = input.values.map((v) => new Float64Array(v));
    if (input.values.every(fitsRice)) {
      rice = true;
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
  const gap = input.kind === "regular" && input.gapBefore !== undefined;
  const bytes = sealFrame({ kind: input.kind, codec, rice, untrusted: input.untrusted === true, gap, form }, t0, body.finish());
  return { bytes, codec: summary ? `${codec}/${summary}` : codec, samples, tFirst, tLast };
}

/** Decodes exactly one frame; `bytes` must hold that frame and nothing else (see decodeFrames for a file). */
export function decodeFrame(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedFrame {
  const f = decodeFrameAt(bytes, 0, opts);
  if (f.byteLength !== bytes.length) throw new FrameError(`malformed input: ${bytes.length - f.byteLength} bytes after the frame`);
  return f;
}

/** Decodes concatenated frames (a codec file, a store export). */
export function decodeFrames(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedFrame[] {
  const out: DecodedFrame[] = [];
  for (let off = 0; off < bytes.length; ) {
    const f = decodeFrameAt(bytes, off, opts);
    out.push(f);
    off += f.byteLength;
  }
  return out;
}

/**
 * A regular frame's timestamps are implied by t0 and the rate: they are computed on first access (and then kept),
 * so a consumer that works on t0, rate and counts, as waveform analysis does, does not pay for an array per frame.
 */
function impliedTimes(frame: DecodedFrame, count: number): void {
  let times: Float64Array | undefined;
  Object.defineProperty(frame, "times", {
    enumerable: true,
    configurable: true,
    get(): Float64Array {
      if (!times) {
        const { t0, rateHz } = frame;
        times = new Float64Array(count);
        for (let i = 0; i < count; i++) times[i] = t0 + (i * 1000) / rateHz!;
      }
      return times;
    },
    set(v: Float64Array) {
      times = v;
    },
  });
}

export function decodeFrameAt(bytes: Uint8Array, offset: number, opts: DecodeOptions = {}): DecodedFrame {
  const length = checkFrame(bytes, offset);
  const end = offset + length - 4;
  const { head, r } = readHead(bytes, offset, end, opts.streams);
  const { kind, codec, count, t0, rice } = head;
  const frame: DecodedFrame = {
    version: head.version,
    kind,
    codec,
    header: head.header,
    ...(head.stream !== undefined ? { stream: head.stream } : {}),
    streamId: head.streamId,
    seq: head.seq,
    untrusted: head.untrusted,
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
  frame.channels = readChannels(r, head);
  let plan: TimePlan = { quantum: 1, mode: 0, nominal: 0 };
  let coding: PayloadCoding = 1;
  if (kind === "irregular") {
    ({ plan, coding } = readTimePlan(r, head.version));
    frame.timeQuantumMs = plan.quantum;
    if (codec === "bounded") frame.maxError = r.decimal("max error");
  } else {
    const rate = r.decimal("rate");
    if (!(rate > 0) || !Number.isFinite(rate)) throw new FrameError(`malformed frame: rate ${rate}`);
    frame.rateHz = rate;
    if (head.gap) {
      const lost = r.varint("lost samples");
      const reason = r.str("gap reason");
      frame.gapBefore = lost === 0 ? { reason } : { lostSamples: lost - 1, reason };
    }
  }
  // The range coder spends at least ~0.06 bits per sample and channel (payload coding 2: see MAX_SAMPLES_PER_BYTE),
  // Rice codes MIN_BITS_PER_SAMPLE: a count beyond that is a lie, not a big frame.
  const perByte = rice ? 8 / MIN_BITS_PER_SAMPLE : coding === 2 ? MAX_SAMPLES_PER_BYTE : 130;
  if (count * frame.channels.length > perByte * (end - r.pos + 8)) throw new FrameError(`malformed frame: ${count} samples cannot fit in ${end - r.pos} payload bytes`);
  for (const ch of frame.channels) ch.counts = new Float64Array(count);
  if (kind === "regular") impliedTimes(frame, count);
  else frame.times = new Float64Array(count);
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
    frame.predictors = decodeIrregularPayload(dec, coding, t0, plan, frame.times, frame.channels.map((ch) => ch.counts));
    for (let i = 0; i < count; i++) {
      if (!Number.isSafeInteger(frame.times[i]) || Math.abs(frame.times[i]) >= TIME_LIMIT) throw new FrameError("malformed frame: timestamp out of range");
    }
  } else {
    for (const ch of frame.channels) {
      const chosen: PredictorName[] = [];
      decodeValues(dec, count, ch.counts, chosen);
      frame.predictors.push(chosen);
    }
  }
  if (dec.overrun() > MAX_IMPLIED_ZEROS) throw new FrameError("truncated frame: payload ended before its samples");
  return frame;
}
