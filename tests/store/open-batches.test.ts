// Batches still being filled are checkpointed with each grouped commit: a crash loses at most one flush interval.
import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { Priority, type StreamInfo } from "../../agent/model.js";
import { StreamBatcher } from "../../agent/codec/batcher.js";
import { decodeFrame } from "../../agent/codec/index.js";
import { codecOptions } from "../../config/schema/codec.js";
import { openTestStore, tempDir } from "./helpers.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const stream: StreamInfo = { name: "room/t", kind: "periodic", channels: [{ name: "t", unit: "degC", scale: 0.01, offset: 0 }], priority: Priority.periodic };
const T0 = 1_764_000_000_000;

describe("open batch checkpoints", () => {
  it("a crash after a commit recovers the open batch as a frame of its own, with its reserved sequence number", () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, "store.db");
    const a = openTestStore(path);
    const batcher = new StreamBatcher(stream, codecOptions.parse({ batch: 1000 }), () => a.nextSeq(stream.name));
    for (let i = 0; i < 30; i++) expect(batcher.add({ kind: "sample", stream: stream.name, t: T0 + i * 1000, values: [400 + i] })).toEqual([]);
    a.checkpointOpen(batcher.snapshot());
    a.commit();
    expect(batcher.snapshot()).toEqual([]); // nothing changed since: nothing to write again
    // The process dies here: no close, no flush. (The handle is dropped without closing, as a kill would.)

    const b = openTestStore(path);
    cleanups.unshift(() => b.close());
    const frames = b.fetch(0, 10);
    expect(frames).toHaveLength(1);
    const d = decodeFrame(frames[0].bytes);
    expect(Array.from(d.channels[0].counts)).toEqual(Array.from({ length: 30 }, (_, i) => 400 + i));
    expect(b.nextSeq(stream.name)).toBeGreaterThan(d.seq);
  });

  it("the closed frame replaces its checkpoint: no duplicate after a clean restart", () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, "store.db");
    const a = openTestStore(path);
    const batcher = new StreamBatcher(stream, codecOptions.parse({ batch: 10 }), () => a.nextSeq(stream.name));
    const put = (frames: ReturnType<typeof batcher.add>) => frames.forEach((f) => a.put(f));
    for (let i = 0; i < 5; i++) put(batcher.add({ kind: "sample", stream: stream.name, t: T0 + i * 1000, values: [i] }));
    a.checkpointOpen(batcher.snapshot());
    a.commit();
    for (let i = 5; i < 12; i++) put(batcher.add({ kind: "sample", stream: stream.name, t: T0 + i * 1000, values: [i] }));
    a.checkpointOpen(batcher.snapshot()); // the second batch (samples 10, 11) is open now
    a.commit();
    a.close();

    const b = openTestStore(path);
    cleanups.unshift(() => b.close());
    const decoded = b.fetch(0, 10).map((f) => decodeFrame(f.bytes));
    const values = decoded.flatMap((d) => Array.from(d.channels[0].counts));
    expect(values).toEqual(Array.from({ length: 12 }, (_, i) => i)); // every sample once: 10 closed, 2 recovered
    expect(new Set(decoded.map((d) => d.seq)).size).toBe(decoded.length);
  });
});
