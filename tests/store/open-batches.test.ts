// Batches still being filled are checkpointed with each grouped commit: a crash loses at most one flush interval.
import { afterEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import fc from "fast-check";
import { join } from "node:path";
import { Priority, type StreamInfo } from "../../agent/model.js";
import { StreamBatcher } from "../../agent/codec/batcher.js";
import { decodeFrame } from "../../agent/codec/index.js";
import { encodeOpenPart } from "../../agent/codec/open-batch.js";
import { codecOptions } from "../../config/schema/codec.js";
import { openTestStore, tempDir } from "./helpers.js";
import { GAP_CODEC } from "../../agent/store/gap-record.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A store file in a fresh temporary directory, removed after the test. */
function freshStorePath(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, "store.db");
}

const stream: StreamInfo = { name: "room/t", kind: "periodic", channels: [{ name: "t", unit: "degC", scale: 0.01, offset: 0 }], priority: Priority.periodic };
const T0 = 1_764_000_000_000;

describe("open batch checkpoints", () => {
  it("a crash after a commit recovers the open batch as a frame of its own, with its reserved sequence number", () => {
    const path = freshStorePath();
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
    const path = freshStorePath();
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
    const path = freshStorePath();
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
    const a = openTestStore(freshStorePath());
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

describe("open batch checkpoint rows", () => {
  const streams: StreamInfo[] = ["a/t", "b/t", "c/t"].map((name) => ({ ...stream, name }));

  /** Streams with these batch sizes, one sample each per commit: how many open_bundles rows there are after each commit. */
  function rowsAfterEachCommit(batchSizes: number[], commits: number): number[] {
    const path = freshStorePath();
    const a = openTestStore(path);
    cleanups.unshift(() => a.close());
    const reader = new Database(path, { readonly: true });
    cleanups.unshift(() => reader.close());
    const batchers = batchSizes.map((batch, i) => new StreamBatcher(streams[i], codecOptions.parse({ batch }), () => a.nextSeq(streams[i].name)));
    const counts: number[] = [];
    for (let k = 0; k < commits; k++) {
      batchers.forEach((b, i) => b.add({ kind: "sample", stream: streams[i].name, t: T0 + k * 1000, values: [k] }).forEach((f) => a.put(f)));
      a.checkpointOpen(batchers.flatMap((b) => b.checkpoint(1000).parts));
      a.commit();
      counts.push((reader.prepare("SELECT COUNT(*) AS n FROM open_bundles").get() as { n: number }).n);
    }
    return counts;
  }

  it("a commit writes one row for all its streams, and rows go once every batch with a part in them has closed", () => {
    // Batches of 3, 4 and 5 samples: they close at different commits. Each commit adds a row. Commits 3 and 4 close
    // a's and b's first batches, but c's still has parts in row 1; commit 5 closes it and frees rows 1-3 (the oldest
    // batch still open, a's second, began in row 4); commit 6 closes that one and frees row 4.
    expect(rowsAfterEachCommit([3, 4, 5], 6)).toEqual([1, 2, 3, 4, 2, 2]);
  });

  it("rows keep being deleted when every batch closes at once (row ids never start over)", () => {
    // One stream, batches of two samples: every other commit closes the only open batch.
    expect(Math.max(...rowsAfterEachCommit([2], 20))).toBe(1);
  });

  it("after a crash at any commit, every committed sample comes back exactly once (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ stream: fc.nat({ max: streams.length - 1 }), n: fc.integer({ min: 1, max: 4 }), commit: fc.boolean() }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 2, max: 6 }), { minLength: streams.length, maxLength: streams.length }),
        (steps, sizes) => {
          const t = tempDir();
          try {
            const path = join(t.dir, "store.db");
            const a = openTestStore(path);
            const batchers = streams.map((s, i) => new StreamBatcher(s, codecOptions.parse({ batch: sizes[i] }), () => a.nextSeq(s.name)));
            const added = streams.map(() => [] as number[]);
            let committed = streams.map(() => 0);
            let v = 0;
            for (const [k, step] of [...steps, { stream: 0, n: 0, commit: true }].entries()) {
              for (let i = 0; i < step.n; i++) {
                added[step.stream].push(++v);
                batchers[step.stream].add({ kind: "sample", stream: streams[step.stream].name, t: T0 + v * 1000, values: [v] }).forEach((f) => a.put(f));
              }
              if (!step.commit && k < steps.length) continue;
              a.checkpointOpen(batchers.flatMap((b) => b.checkpoint(1000).parts));
              a.commit();
              committed = added.map((x) => x.length);
            }
            // The process dies here; a new one opens the same files.
            const b = openTestStore(path);
            const frames = b.fetch(0, 10_000).map((f) => decodeFrame(f.bytes));
            b.close();
            streams.forEach((s, i) => {
              const mine = frames.filter((d) => d.stream === s.name).sort((x, y) => x.seq - y.seq);
              expect(new Set(mine.map((d) => d.seq)).size).toBe(mine.length);
              expect(mine.flatMap((d) => Array.from(d.channels[0].counts))).toEqual(added[i].slice(0, committed[i]));
            });
          } finally {
            t.cleanup();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a batch whose closed frame a full medium dropped does not come back from its parts after a crash", () => {
    const path = freshStorePath();
    const a = openTestStore(path);
    const batcher = new StreamBatcher(stream, codecOptions.parse({ batch: 3 }), () => a.nextSeq(stream.name));
    for (const v of [1, 2]) batcher.add({ kind: "sample", stream: stream.name, t: T0 + v * 1000, values: [v] });
    a.checkpointOpen(batcher.checkpoint(1000).parts);
    a.commit();
    a.setMaxPageCount(1); // no room to grow: the next commit fails as on a full card
    const [closed] = batcher.add({ kind: "sample", stream: stream.name, t: T0 + 3000, values: [3] });
    a.put(closed);
    a.put({ stream: "room/door", seq: a.nextSeq("room/door"), priority: Priority.event, bytes: new Uint8Array(20_000), codec: "test", samples: 1, tFirst: T0, tLast: T0, untrusted: false, urgent: true });
    expect(a.stats().drops["disk-full"].samples).toBe(3); // the temperature frame went so the event could stay
    a.setMaxPageCount(undefined);
    a.commit();
    // The process dies here.
    const b = openTestStore(path);
    cleanups.unshift(() => b.close());
    const frames = b.fetch(0, 100).filter((f) => f.stream === stream.name && f.codec !== GAP_CODEC);
    expect(frames).toEqual([]);
  });

  it("checkpoints written by the previous version (one row per part) are still recovered", () => {
    const path = freshStorePath();
    openTestStore(path).close();
    const parts = [encodeOpenPart({ channels: stream.channels, untrusted: false }, [T0, T0 + 1000], [[5, 6]], 0, 2), encodeOpenPart(undefined, [T0, T0 + 1000, T0 + 2000], [[5, 6, 7]], 2, 3)];
    const db = new Database(path);
    parts.forEach((bytes, part) => db.prepare("INSERT INTO open_parts (stream, seq, part, priority, samples, bytes) VALUES (?, 41, ?, ?, 1, ?)").run(stream.name, part, stream.priority, bytes));
    db.close();
    const b = openTestStore(path);
    cleanups.unshift(() => b.close());
    const [f] = b.fetch(0, 10);
    const d = decodeFrame(f.bytes);
    expect([d.seq, Array.from(d.channels[0].counts)]).toEqual([41, [5, 6, 7]]);
  });
});
