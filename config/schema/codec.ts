// Per-stream codec options. Owned by the codec work (issue 5).
import { z } from "zod";

export const codecOptions = z.strictObject({
  /** Quantization step in physical units for sources that yield floats (counts are already integers). */
  resolution: z.number().positive().optional(),
  /** Opt-in bounded error in physical units: every decoded value is within +-maxError. */
  maxError: z.number().positive().optional(),
  /** Heartbeat for bounded-error streams: never more than this between kept points. */
  heartbeatS: z.number().positive().default(900),
  /** Samples per frame; a frame is also closed after flushIntervalMs. */
  batch: z.number().int().positive().default(600),
  /** Close a frame after this long even when it is not full. */
  maxAgeMs: z.number().int().positive().default(60_000),
  header: z
    .enum(["full", "compact"])
    .default("full")
    .describe(
      "frame header: full carries the stream name; compact carries its 32-bit id (CRC-32 of the name, ~15-25 bytes less per frame) and the consumer takes the name from the MQTT topic (docs/wire-format.md); derived streams follow their parent",
    ),
});
