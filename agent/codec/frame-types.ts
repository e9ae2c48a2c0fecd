// What encodeFrame takes and decodeFrame gives back. Types only: the consumer API of the wire format.
import type { ChannelInfo } from "../../drivers/types.js";
import type { EventSeverity } from "../model.js";
import type { StreamLookup } from "./stream-id.js";

/** The version the encoder writes; the decoder reads every version up to it (docs/wire-format.md). */
export const FORMAT_VERSION = 2;
export const MAGIC = 0xea;

export type SeriesKind = "irregular" | "regular" | "event";
export type CodecKind = "lossless" | "bounded" | "events";
/** "full": the frame carries the stream name; "compact": only its 32-bit id (streamId), the name travels elsewhere. */
export type HeaderForm = "full" | "compact";

interface FrameCommon {
  stream: string;
  seq: number;
  /** Default "full". "compact" saves the name's bytes; the consumer maps the id back (see StreamNames). */
  header?: HeaderForm;
  /** Timestamps were taken before the wall clock was trusted (see restampFrame). */
  untrusted?: boolean;
}

/** Readings at arbitrary times (temperature every ~60 s): integer counts, one array per channel. */
export interface IrregularInput extends FrameCommon {
  kind: "irregular";
  channels: ChannelInfo[];
  times: ArrayLike<number>;
  values: ArrayLike<number>[];
  /** Opt-in bounded error in physical units: every dropped point is within +-maxError of the kept line. */
  maxError?: number;
  /** With maxError: never more than this between kept points (default 900 s). */
  heartbeatMs?: number;
  /** Payload coding (default 2, the latest; 1 as format version 1 released it). */
  payloadCoding?: 1 | 2;
}

/** A fixed-rate block (vibration): timestamps are implied by t0 and the rate. */
export interface RegularInput extends FrameCommon {
  kind: "regular";
  channels: ChannelInfo[];
  t0: number;
  rateHz: number;
  values: ArrayLike<number>[];
  gapBefore?: { lostSamples?: number; reason: string };
}

export interface EventItem {
  t: number;
  type: string;
  severity?: EventSeverity;
  data: Record<string, unknown>;
}

export interface EventInput extends FrameCommon {
  kind: "event";
  events: EventItem[];
}

export type FrameInput = IrregularInput | RegularInput | EventInput;

export interface EncodedFrame {
  bytes: Uint8Array;
  /** e.g. "lossless/lpc-rice" (a waveform through LPC + Rice codes, the Rice flag), "lossless/delta", "bounded/delta", "events". */
  codec: string;
  samples: number;
  tFirst: number;
  tLast: number;
}

export interface DecodedChannel extends ChannelInfo {
  /** Integer counts; physical value = count * scale + offset. */
  counts: Float64Array;
}

export interface DecodeOptions {
  /** Names for compact frames (which carry only the stream id), e.g. a StreamNames of the gateway's streams. */
  streams?: StreamLookup;
}

export interface DecodedFrame {
  /** The format version the frame was written in. */
  version: number;
  kind: SeriesKind;
  codec: CodecKind;
  header: HeaderForm;
  /** The stream name: carried by a full header; for a compact one, resolved through DecodeOptions.streams if known. */
  stream?: string;
  /** CRC-32 of the UTF-8 stream name: carried by a compact header, computed for a full one. */
  streamId: number;
  seq: number;
  untrusted: boolean;
  t0: number;
  /** Samples (or events) in the frame; for a bounded frame, the kept points. */
  count: number;
  /** Epoch ms of every sample or event (regular series: t0 + i * 1000 / rateHz, may be fractional, computed on first access). */
  times: Float64Array;
  channels: DecodedChannel[];
  rateHz?: number;
  gapBefore?: { lostSamples?: number; reason: string };
  /** Bounded frames: the tolerance in physical units; interpolate linearly between kept points. */
  maxError?: number;
  timeQuantumMs?: number;
  events?: EventItem[];
  /** Predictor chosen per segment, per channel ("raw", "delta", "delta2", "lpc"). */
  predictors: string[][];
  /** Bytes the frame occupies (frames can be concatenated). */
  byteLength: number;
}
