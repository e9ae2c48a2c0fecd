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
    a.checkpointOpen(batcher.checkpoint(1000).parts);
    a.commit();
    expect(batcher.checkpoint(1000)).toEqual({ frames: [], parts: [] }); // nothing changed since: nothing to write again
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
    a.checkpointOpen(batcher.checkpoint(1000).parts);
    a.commit();
    for (let i = 5; i < 12; i++) put(batcher.add({ kind: "sample", stream: stream.name, t: T0 + i * 1000, values: [i] }));
    a.checkpointOpen(batcher.checkpoint(1000).parts); // the second batch (samples 10, 11) is open now
    a.commit();
    a.close();

    const b = openTestStore(path);
    cleanups.unshift(() => b.close());
    const decoded = b.fetch(0, 10).map((f) => decodeFrame(f.bytes));
    const values = decoded.flatMap((d) => Array.from(d.channels[0].counts));
    expect(values).toEqual(Array.from({ length: 12 }, (_, i) => i)); // every sample once: 10 closed, 2 recovered
    expect(new Set(decoded.map((d) => d.seq)).size).toBe(decoded.length);
  });

  it("parts written over several commits come back as one frame, block streams and the untrusted flag included", () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, "store.db");
    const a = openTestStore(path);
    const vib: StreamInfo = { name: "m/vib", kind: "waveform", channels: ["x", "y"].map((name) => ({ name, unit: "g", scale: 0.0039, offset: 0 })), priority: Priority.waveform };
    const temps = new StreamBatcher(stream, codecOptions.parse({ batch: 1000 }), () => a.nextSeq(stream.name));
    const blocks = new StreamBatcher(vib, codecOptions.parse({ batch: 100_000, maxAgeMs: 3_600_000 }), () => a.nextSeq(vib.name));
    const partCounts: number[] = [];
    for (let commit = 0; commit < 3; commit++) {
      for (let i = 0; i < 10; i++) temps.add({ kind: "sample", stream: stream.name, t: T0 + (commit * 10 + i) * 1000, values: [commit * 10 + i], untrusted: true });
      const block = [new Int32Array(64).map((_, i) => commit * 64 + i), new Int32Array(64).map((_, i) => -(commit * 64 + i))];
      blocks.add({ kind: "block", stream: vib.name, t0: T0 + commit * 20, rateHz: 3200, channels: block });
      const parts = [...temps.checkpoint(1000).parts, ...blocks.checkpoint(1000).parts];
      partCounts.push(...parts.map((p) => p.samples));
      a.checkpointOpen(parts);
      a.commit();
    }
    expect(partCounts).toEqual([10, 64, 10, 64, 10, 64]); // each sample written once

    const b = openTestStore(path);
    cleanups.unshift(() => b.close());
    const frames = b.fetch(0, 10);
    const byStream = new Map(frames.map((f) => [f.stream, f]));
    const tf = byStream.get(stream.name)!;
    const td = decodeFrame(tf.bytes);
    expect(Array.from(td.channels[0].counts)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(Array.from(td.times)).toEqual(Array.from({ length: 30 }, (_, i) => T0 + i * 1000));
    expect(td.untrusted).toBe(true);
    expect(tf.untrusted).toBe(true);
    const vd = decodeFrame(byStream.get(vib.name)!.bytes);
    expect(vd.kind).toBe("regular");
    expect(vd.times[0]).toBe(T0);
    expect(Array.from(vd.channels[0].counts)).toEqual(Array.from({ length: 192 }, (_, i) => i));
    expect(Array.from(vd.channels[1].counts)).toEqual(Array.from({ length: 192 }, (_, i) => 0 - i));
  });

  it("a stream whose batches close within the horizon anyway is closed by the checkpoint instead", () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const a = openTestStore(join(t.dir, "store.db"));
    cleanups.unshift(() => a.close());
    const batcher = new StreamBatcher(stream, codecOptions.parse({ batch: 1000, maxAgeMs: 1000 }), () => a.nextSeq(stream.name));
    batcher.add({ kind: "sample", stream: stream.name, t: T0, values: [1] });
    batcher.add({ kind: "sample", stream: stream.name, t: T0 + 500, values: [2] });
    const c = batcher.checkpoint(1000);
    expect(c.parts).toEqual([]);
    expect(c.frames).toHaveLength(1);
    expect(Array.from(decodeFrame(c.frames[0].bytes).channels[0].counts)).toEqual([1, 2]);
    expect(batcher.flush(T0 + 10_000, true)).toEqual([]);
  });
});
