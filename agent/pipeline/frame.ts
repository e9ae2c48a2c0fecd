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
