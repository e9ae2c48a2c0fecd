// The frame header of every format version, byte for byte as docs/wire-format.md describes it: the fixed start
// (magic, version, kind and flags, t0, length), seq, count, the stream reference, the channel descriptors and the
// time plan. The decoder reads versions 1 and 2; the encoder writes version 2.
import type { ChannelInfo } from "../../drivers/types.js";
import { ByteReader, ByteWriter, fromDecimal } from "./bytes.js";
import { CODE_STRING, lastLevel, NAME_CODES, NAME_FROM_STREAM, nameCode, UNIT_CODES, unitCode } from "./channel-codes.js";
import { crc32 } from "./crc32.js";
import { FrameError } from "./errors.js";
import { FORMAT_VERSION, MAGIC, type CodecKind, type DecodedChannel, type HeaderForm, type SeriesKind } from "./frame-types.js";
import { streamId, type StreamLookup } from "./stream-id.js";
import type { TimeMode, TimePlan } from "./timestamps.js";
import type { PayloadCoding } from "./irregular-payload.js";

export const FLAG_UNTRUSTED = 0x10;
export const FLAG_GAP = 0x20;
/** Version 2, byte 2: an irregular series with bounded error (version 1 has a codec byte instead). */
const FLAG_BOUNDED = 0x04;
/** Version 2, byte 2: the stream is referenced by its 32-bit id instead of its name. */
const FLAG_STREAM_ID = 0x08;
/** Version 2, byte 2: a regular series whose values use the LPC + partitioned Rice stage instead of the range coder. */
const FLAG_RICE = 0x40;

const KIND_CODE: Record<SeriesKind, number> = { irregular: 1, regular: 2, event: 3 };
const KIND_NAME: SeriesKind[] = ["irregular", "irregular", "regular", "event"];
const V1_CODEC_NAME: CodecKind[] = ["events", "lossless", "bounded"];

interface Layout {
  t0: number;
  length: number;
  /** The fixed part, a one-byte length and the CRC: nothing shorter can be a frame of this version. */
  min: number;
  knownBits: number;
}

/** Offsets of the fixed fields per version; magic (byte 0), version (byte 1) and kind/flags (byte 2) never move. */
const LAYOUTS: Readonly<Record<number, Layout>> = {
  1: { t0: 4, length: 10, min: 15, knownBits: 0x03 | FLAG_UNTRUSTED | FLAG_GAP },
  2: { t0: 3, length: 9, min: 14, knownBits: 0x03 | FLAG_BOUNDED | FLAG_STREAM_ID | FLAG_UNTRUSTED | FLAG_GAP | FLAG_RICE },
};
export const KIND_FLAGS_OFFSET = 2;

export function layoutOf(version: number): Layout {
  const l = LAYOUTS[version];
  if (!l) throw new FrameError(`unsupported frame version ${version} (this decoder reads versions 1 to ${FORMAT_VERSION})`);
  return l;
}

/** Decoder guard: a frame never claims more samples than this (memory bound for a hostile input). */
export const MAX_FRAME_SAMPLES = 1 << 24;

// ---- writing (always the current version) ----

export interface HeadFlags {
  kind: SeriesKind;
  codec: CodecKind;
  /** Regular series only: values coded with LPC + Rice (lpc-rice.ts). */
  rice: boolean;
  untrusted: boolean;
  gap: boolean;
  form: HeaderForm;
}

/** The stream reference: its name, or with the compact header its 32-bit id. */
export function writeStreamRef(w: ByteWriter, stream: string, form: HeaderForm): void {
  if (form === "compact") w.u32(streamId(stream));
  else w.str(stream);
}

/** Magic, version, kind/flags, t0 and the length in front of `body` (seq onwards), the CRC behind it. */
export function sealFrame(head: HeadFlags, t0: number, body: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  w.u8(MAGIC);
  w.u8(FORMAT_VERSION);
  w.u8(
    KIND_CODE[head.kind] |
      (head.codec === "bounded" ? FLAG_BOUNDED : 0) |
      (head.form === "compact" ? FLAG_STREAM_ID : 0) |
      (head.untrusted ? FLAG_UNTRUSTED : 0) |
      (head.gap ? FLAG_GAP : 0) |
      (head.rice ? FLAG_RICE : 0),
  );
  w.i48(t0);
  // The length field counts itself: find the varint size that is consistent with the total it encodes.
  const rest = w.length + body.length + 4;
  let size = 1;
  while (varintSize(rest + size) !== size) size++;
  w.varint(rest + size);
  w.bytes(body);
  w.u32(0);
  const bytes = w.finish();
  writeCrc(bytes);
  return bytes;
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

// Channel descriptor, version 2: byte A = name code | unit code << 4; byte B = scale code | flags.
const SCALE_DECIMAL = 0x3f;
const SCALE_EXP_BIAS = 32;
const HAS_OFFSET = 0x40;
const MORE_CHANNELS = 0x80;

/** The scale code of 10^k (k = -32 .. 30), or undefined when the scale is not such a power. */
function powerOfTenCode(scale: number): number | undefined {
  for (let code = 0; code < SCALE_DECIMAL; code++) if (fromDecimal(1, code - SCALE_EXP_BIAS) === scale) return code;
  return undefined;
}

export function writeChannels(w: ByteWriter, channels: ChannelInfo[], stream: string, form: HeaderForm): void {
  channels.forEach((c, i) => {
    // Only a frame that carries the stream name may elide a channel name as its last level.
    const name = nameCode(c.name, form === "full" ? stream : undefined);
    const unit = unitCode(c.unit);
    const scale = powerOfTenCode(c.scale);
    const offset = !Object.is(c.offset, 0);
    w.u8(name | (unit << 4));
    w.u8((scale ?? SCALE_DECIMAL) | (offset ? HAS_OFFSET : 0) | (i < channels.length - 1 ? MORE_CHANNELS : 0));
    if (name === CODE_STRING) w.str(c.name);
    if (unit === CODE_STRING) w.str(c.unit);
    if (scale === undefined) w.decimal(c.scale);
    if (offset) w.decimal(c.offset);
  });
}

/**
 * Version 2 time plan byte: bits 0-1 time mode (0 delta-of-delta, 1 delta from nominal, 2 grid), bit 2 payload
 * coding 2, bits 3-7 the quantum code (1-24: {1, 2, 5} x 10^e ms; 0: a varint quantum follows); then the nominal.
 */
export function writeTimePlan(w: ByteWriter, plan: TimePlan, coding: PayloadCoding): void {
  const code = quantumCode(plan.quantum);
  w.u8(plan.mode | (coding === 2 ? 0x04 : 0) | (code << 3));
  if (code === 0) w.varint(plan.quantum);
  w.svarint(plan.nominal);
}

const QUANTUM_MANTISSAS = [1, 2, 5];

function quantumCode(q: number): number {
  for (let e = 0; e < 8; e++) {
    const m = QUANTUM_MANTISSAS.indexOf(q / 10 ** e);
    if (m >= 0) return 1 + e * 3 + m;
  }
  return 0;
}

function quantumOf(code: number): number | undefined {
  if (code < 1 || code > 24) return undefined;
  return QUANTUM_MANTISSAS[(code - 1) % 3] * 10 ** Math.floor((code - 1) / 3);
}

// ---- reading (every version) ----

export interface FrameHead {
  version: number;
  kind: SeriesKind;
  codec: CodecKind;
  rice: boolean;
  untrusted: boolean;
  gap: boolean;
  t0: number;
  seq: number;
  count: number;
  streamId: number;
  stream?: string;
  header: HeaderForm;
}

/**
 * Checks magic, version, length and CRC of the frame starting at `offset` and returns its length in bytes.
 * Throws a FrameError saying what is wrong; nothing of a frame is trusted before this passes.
 */
export function checkFrame(bytes: Uint8Array, offset = 0): number {
  const avail = bytes.length - offset;
  if (avail < 2) throw new FrameError(`truncated frame: ${avail} bytes, a frame has at least 14`);
  if (bytes[offset] !== MAGIC) throw new FrameError(`not an edge-agent frame: first byte 0x${bytes[offset].toString(16)}, expected 0xea`);
  const layout = layoutOf(bytes[offset + 1]);
  if (avail < layout.min) throw new FrameError(`truncated frame: ${avail} bytes, a frame of version ${bytes[offset + 1]} has at least ${layout.min}`);
  const r = new ByteReader(bytes, offset + layout.length);
  const length = r.varint("frame length");
  if (length < layout.min || length < r.pos - offset + 4) throw new FrameError(`malformed frame: length ${length} is too small`);
  if (length > avail) throw new FrameError(`truncated frame: header says ${length} bytes, only ${avail} present`);
  const stored = new ByteReader(bytes, offset + length - 4).u32();
  const actual = crc32(bytes.subarray(offset, offset + length - 4));
  if (stored !== actual) throw new FrameError(`corrupt frame: CRC-32 is 0x${actual.toString(16)}, frame says 0x${stored.toString(16)}`);
  return length;
}

/** Reads the header of a checked frame up to and including the stream reference; `r` continues after it. */
export function readHead(bytes: Uint8Array, offset: number, end: number, streams?: StreamLookup): { head: FrameHead; r: ByteReader } {
  const version = bytes[offset + 1];
  const layout = layoutOf(version);
  const kf = bytes[offset + KIND_FLAGS_OFFSET];
  if (kf & ~layout.knownBits) throw new FrameError(`malformed frame: unknown flag bits 0x${(kf & ~layout.knownBits).toString(16)}`);
  const kindCode = kf & 0x03;
  if (kindCode === 0) throw new FrameError("malformed frame: series kind 0");
  const kind = KIND_NAME[kindCode];
  let codec: CodecKind;
  if (version === 1) {
    const code = bytes[offset + 3];
    if (V1_CODEC_NAME[code] === undefined) throw new FrameError(`unsupported codec ${code}`);
    codec = V1_CODEC_NAME[code];
    if ((kind === "event") !== (codec === "events") || (kind === "regular" && codec === "bounded")) throw new FrameError(`malformed frame: codec ${codec} with series kind ${kind}`);
  } else {
    if (kf & FLAG_BOUNDED && kind !== "irregular") throw new FrameError(`malformed frame: bounded error with series kind ${kind}`);
    if (kf & FLAG_GAP && kind !== "regular") throw new FrameError(`malformed frame: gap flag with series kind ${kind}`);
    if (kf & FLAG_RICE && kind !== "regular") throw new FrameError(`malformed frame: Rice flag with series kind ${kind}`);
    codec = kind === "event" ? "events" : kf & FLAG_BOUNDED ? "bounded" : "lossless";
  }
  const r = new ByteReader(bytes, offset + layout.t0, end);
  const t0 = r.i48("t0");
  r.varint("frame length");
  const seq = r.varint("seq");
  const count = r.varint("count");
  if (count > MAX_FRAME_SAMPLES) throw new FrameError(`malformed frame: ${count} samples exceeds the limit of ${MAX_FRAME_SAMPLES}`);
  const compact = version >= 2 && (kf & FLAG_STREAM_ID) !== 0;
  const head: FrameHead = { version, kind, codec, rice: version >= 2 && (kf & FLAG_RICE) !== 0, untrusted: (kf & FLAG_UNTRUSTED) !== 0, gap: (kf & FLAG_GAP) !== 0, t0, seq, count, streamId: 0, header: compact ? "compact" : "full" };
  if (compact) {
    head.streamId = r.u32("stream id");
    const name = streams?.nameOf(head.streamId);
    if (name !== undefined) head.stream = name;
  } else {
    head.stream = r.str("stream name");
    head.streamId = streamId(head.stream);
  }
  return { head, r };
}

export function readChannels(r: ByteReader, head: FrameHead): DecodedChannel[] {
  return head.version === 1 ? readChannelsV1(r) : readChannelsV2(r, head);
}

function readChannelsV1(r: ByteReader): DecodedChannel[] {
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

function readChannelsV2(r: ByteReader, head: FrameHead): DecodedChannel[] {
  const out: DecodedChannel[] = [];
  for (let more = true; more; ) {
    if (out.length === 255) throw new FrameError("malformed frame: more than 255 channels");
    const codes = r.u8("channel codes");
    const b = r.u8("channel scale");
    more = (b & MORE_CHANNELS) !== 0;
    const nc = codes & 0x0f;
    const uc = codes >> 4;
    let name: string;
    if (nc === CODE_STRING) name = r.str("channel name");
    else if (nc === NAME_FROM_STREAM) {
      if (head.header !== "full") throw new FrameError("malformed frame: channel name code 1 in a frame without the stream name");
      name = lastLevel(head.stream!);
    } else name = NAME_CODES[nc];
    const unit = uc === CODE_STRING ? r.str("unit") : UNIT_CODES[uc];
    const sc = b & SCALE_DECIMAL;
    const scale = sc === SCALE_DECIMAL ? r.decimal("scale") : fromDecimal(1, sc - SCALE_EXP_BIAS);
    const offset = b & HAS_OFFSET ? r.decimal("offset") : 0;
    out.push({ name, unit, scale, offset, counts: new Float64Array(0) });
  }
  return out;
}

export function readTimePlan(r: ByteReader, version: number): { plan: TimePlan; coding: PayloadCoding } {
  let quantum: number;
  let mode: number;
  let coding: PayloadCoding = 1;
  if (version === 1) {
    quantum = r.varint("time quantum");
    mode = r.u8("time mode");
    if (mode > 1) throw new FrameError(`malformed frame: time mode ${mode}`);
  } else {
    const b = r.u8("time plan");
    mode = b & 0x03;
    if (b & 0x04) coding = 2;
    const code = b >> 3;
    const q = code === 0 ? r.varint("time quantum") : quantumOf(code);
    if (q === undefined || mode > (coding === 2 ? 2 : 1)) throw new FrameError(`malformed frame: time plan byte 0x${b.toString(16)}`);
    quantum = q;
  }
  if (quantum < 1) throw new FrameError(`malformed frame: time quantum ${quantum}`);
  return { plan: { quantum, mode: mode as TimeMode, nominal: r.svarint("nominal interval") }, coding };
}
