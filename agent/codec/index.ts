// The codec package entry ("edge-agent/codec"): everything a consumer needs to encode and decode frames.
// It imports nothing outside agent/codec except the record and channel types.
export { FrameError } from "./errors.js";
export { encodeFrame, decodeFrame, decodeFrames, decodeFrameAt, checkFrame } from "./frame.js";
export { restampFrame } from "./restamp.js";
export { interpolate, swingingDoor } from "./bounded.js";
export { FORMAT_VERSION } from "./frame-types.js";
export { streamId, StreamNames, formatStreamId, type StreamLookup } from "./stream-id.js";
export type {
  CodecKind,
  DecodedChannel,
  DecodedFrame,
  DecodeOptions,
  EncodedFrame,
  EventInput,
  EventItem,
  FrameInput,
  HeaderForm,
  IrregularInput,
  RegularInput,
  SeriesKind,
} from "./frame-types.js";
export { Deduplicator, type DeduplicatorOptions } from "./dedup.js";
