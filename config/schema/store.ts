// Durable store-and-forward.
import { z } from "zod";

export const storeConfig = z.strictObject({
  path: z.string().default("store.db").describe("SQLite file; a relative path resolves against gateway.dataDir"),
  maxBytes: z.number().int().positive().default(256 * 1024 * 1024).describe("bound on queued frames; beyond it the lowest priority goes first"),
  flushIntervalMs: z
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe("writes are grouped, one transaction per interval: a power cut loses at most this much accepted data (0: commit every frame)"),
  commitEveryEvent: z.boolean().default(true).describe("commit door and alarm events one by one, before they are published"),
  checkpointOpenBatches: z
    .boolean()
    .default(true)
    .describe(
      "persist the batches still being filled with every grouped commit, so a power cut loses at most flushIntervalMs of samples; off: up to codec.maxAgeMs, with fewer writes",
    ),
});
