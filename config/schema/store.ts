// Durable store-and-forward. Owned by the store/uplink work (issue 6).
import { z } from "zod";

export const storeConfig = z.strictObject({
  /** SQLite file; relative paths resolve against gateway.dataDir. */
  path: z.string().default("store.db"),
  maxBytes: z.number().int().positive().default(256 * 1024 * 1024),
  /** Writes are grouped: at most this much batched data can be lost on a power cut. */
  flushIntervalMs: z.number().int().min(0).default(1000),
  /** Commit door and alarm events one by one before they are published. */
  commitEveryEvent: z.boolean().default(true),
});
