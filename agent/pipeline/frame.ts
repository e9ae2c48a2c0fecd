// What the codec hands to the store and the store hands to the uplink: an encoded batch and what routing needs.
import type { PriorityLevel } from "../model.js";

export interface Frame {
  stream: string;
  /** Unique per stream over the store's lifetime; with the gateway id it is the de-duplication identity. */
  seq: number;
  priority: PriorityLevel;
  /** The encoded frame (docs/wire-format.md), CRC included. */
  bytes: Uint8Array;
  /** Codec name, for MQTT user properties. */
  codec: string;
  samples: number;
  tFirst: number;
  tLast: number;
  /** Timestamps were taken before the wall clock was trusted. */
  untrusted: boolean;
  /** Events and alarms: committed and published at once, never held for a batch. */
  urgent: boolean;
}

/**
 * A checkpoint of a batch still being filled: the raw samples added since the previous part, so a grouped commit
 * writes only what is new. Part 0 also describes the batch (kind, channels, codec options). The store keeps the
 * parts until the closed frame with the same stream and seq arrives, and turns them into that frame after a crash.
 */
export interface OpenPart {
  stream: string;
  /** The sequence number the closed frame will carry. */
  seq: number;
  /** 0, 1, 2, ... within the batch. */
  part: number;
  priority: PriorityLevel;
  /** Samples in this part. */
  samples: number;
  bytes: Uint8Array;
}
