import { afterEach, describe, expect, it } from "vitest";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeGapRecord, GAP_CODEC } from "../../agent/store/gap-record.js";
import type { FrameStore } from "../../agent/store/frame-store-types.js";
import { frame, openTestStore, tempDir } from "./helpers.js";

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function setup(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, "store.db");
}
function track(s: FrameStore): FrameStore {
  cleanups.unshift(() => s.close());
  return s;
}

describe("frame store", () => {
  it("keeps committed frames and sequence numbers across a reopen, and deletes acknowledged frames", () => {
    const path = setup();
    const a = openTestStore(path);
    const f1 = frame(a, "room/t");
    const f2 = frame(a, "room/t");
    a.put(f1);
    a.put(f2);
    a.commit();
    const got = a.fetch(0, 10);
    expect(got.map((f) => f.seq)).toEqual([f1.seq, f2.seq]);
    expect(Buffer.from(got[0].bytes)).toEqual(Buffer.from(f1.bytes));
    a.pin(got[0]);
    a.ack(got[0].id);
    a.close();

    const b = track(openTestStore(path));
    expect(b.fetch(0, 10).map((f) => f.seq)).toEqual([f2.seq]);
    expect(b.nextSeq("room/t")).toBe(f2.seq + 1);
    expect(b.nextSeq("other")).toBe(0);
  });

  it("groups writes: a frame becomes visible at the next flush, an urgent one at once", async () => {
    const s = track(openTestStore(setup(), { flushIntervalMs: 50 }));
    const committed = new Promise<void>((r) => s.onCommit(r));
    s.put(frame(s, "a"));
    expect(s.fetch(0, 10)).toHaveLength(0);
    expect(s.stats().pendingFrames).toBe(1);
    await committed;
    expect(s.fetch(0, 10)).toHaveLength(1);
    s.put(frame(s, "door", { urgent: true, priority: 0 }));
    expect(s.fetch(0, 10)).toHaveLength(2);
  });

  it("drops by priority when full: waveforms first, then the oldest periodic data, never events; each drop becomes a gap record", () => {
    const s = track(openTestStore(setup(), { maxBytes: 10 * (1000 + 96) }));
    const put = (stream: string, priority: number, urgent = false): void => {
      s.put(frame(s, stream, { size: 1000, priority: priority as 0, urgent }));
      s.commit();
    };
    put("ev", 0, true);
    put("ev", 0, true);
    for (let i = 0; i < 4; i++) put("vib", 4);
    for (let i = 0; i < 4; i++) put("temp", 3);
    // Full (10 frames). Two periodic frames push out waveform frames, not periodic ones.
    put("temp", 3);
    put("temp", 3);
    const streamsOf = (): string[] => s.fetch(0, 100).filter((f) => f.codec !== GAP_CODEC).map((f) => f.stream);
    expect(s.stats().drops.overflow.frames).toBeGreaterThanOrEqual(2);
    expect(streamsOf().filter((x) => x === "temp")).toHaveLength(6);
    expect(streamsOf().filter((x) => x === "ev")).toHaveLength(2);
    // A waveform frame arriving now may push out older waveforms, never periodic data.
    put("vib", 4);
    expect(streamsOf().filter((x) => x === "temp")).toHaveLength(6);
    // Events push out the oldest periodic data once waveforms are gone.
    for (let i = 0; i < 4; i++) put("ev", 0, true);
    const left = s.fetch(0, 100);
    const data = left.filter((f) => f.codec !== GAP_CODEC);
    expect(data.filter((f) => f.stream === "ev")).toHaveLength(6);
    const temps = data.filter((f) => f.stream === "temp").map((f) => f.seq);
    expect(temps).toEqual([...temps].sort((a, b) => a - b));
    expect(temps[temps.length - 1]).toBe(5); // the newest periodic frame survives, the oldest went
    const st = s.stats();
    const gaps = left.filter((f) => f.codec === GAP_CODEC).map((f) => decodeGapRecord(f.bytes)!);
    expect(gaps.every((g) => g.reason === "overflow")).toBe(true);
    const gapFrames = gaps.reduce((n, g) => n + g.frames, 0);
    const gapSamples = gaps.reduce((n, g) => n + g.samples, 0);
    expect(st.drops.overflow.frames).toBeGreaterThan(2);
    // Gap records are events, so they are never evicted while data remains: every drop is accounted for.
    expect(gapFrames).toBe(st.drops.overflow.frames);
    expect(gapSamples).toBe(st.drops.overflow.samples);
    expect(gaps.some((g) => g.stream === "vib")).toBe(true);
    expect(gaps.some((g) => g.stream === "temp")).toBe(true);
  });

  it("survives a full medium (max_page_count): counts drops, keeps accepting events, resumes when space returns", () => {
    const path = setup();
    const s = track(openTestStore(path, { maxPageCount: 40, flushIntervalMs: 0 }));
    let thrown = 0;
    for (let i = 0; i < 400; i++) {
      try {
        s.put(frame(s, "temp", { size: 2000 }));
        if (i % 50 === 0) s.put(frame(s, "door", { size: 50, priority: 0, urgent: true }));
      } catch {
        thrown++;
      }
    }
    expect(thrown).toBe(0);
    const st = s.stats();
    expect(st.drops["disk-full"].frames).toBeGreaterThan(0);
    const stored = s.fetch(0, 1000);
    expect(stored.filter((f) => f.stream === "door")).toHaveLength(8);
    expect(stored.some((f) => f.codec === GAP_CODEC)).toBe(true);
    s.setMaxPageCount(undefined);
    const before = s.stats().queuedFrames;
    for (let i = 0; i < 100; i++) s.put(frame(s, "temp", { size: 2000 }));
    expect(s.stats().queuedFrames).toBeGreaterThanOrEqual(before + 100);
    expect(s.stats().diskFull).toBe(false);
  });

  it("quarantines a corrupt file at start, keeps going, and never reuses a sequence number", () => {
    const path = setup();
    const a = openTestStore(path);
    let last = 0;
    for (let i = 0; i < 5; i++) {
      const f = frame(a, "s");
      last = f.seq;
      a.put(f);
    }
    a.close();
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const b = track(openTestStore(path));
    expect(b.stats().quarantines).toBe(1);
    expect(readdirSync(join(path, "..")).some((n) => n.startsWith("store.db.corrupt-"))).toBe(true);
    expect(b.nextSeq("s")).toBeGreaterThan(last);
    b.put(frame(b, "s"));
    b.commit();
    expect(b.fetch(0, 10)).toHaveLength(1);
    expect(existsSync(path)).toBe(true);
  });

  it("rewrites untrusted frames in place, pending and committed, but not those in flight", () => {
    const s = track(openTestStore(setup()));
    s.put(frame(s, "t", { untrusted: true }));
    s.put(frame(s, "t", { untrusted: true }));
    s.commit();
    const [first] = s.fetch(0, 1);
    s.pin(first);
    s.put(frame(s, "t", { untrusted: true }));
    s.put(frame(s, "t"));
    const n = s.restampUntrusted((bytes) => new Uint8Array([9, ...bytes.slice(0, 3)]));
    expect(n).toBe(2);
    s.unpinAll();
    s.commit();
    const all = s.fetch(0, 10);
    expect(all.map((f) => f.untrusted)).toEqual([true, false, false, false]);
    expect(all[1].bytes[0]).toBe(9);
    expect(all[2].bytes[0]).toBe(9);
    expect(all[3].bytes[0]).not.toBe(9);
  });

  it("reports queue metrics", () => {
    let now = 1_000_000;
    const s = track(openTestStore(setup(), { now: () => now }));
    s.put(frame(s, "t", { size: 500 }));
    s.commit();
    now += 5000;
    const st = s.stats();
    expect(st.queuedFrames).toBe(1);
    expect(st.queuedBytes).toBeGreaterThanOrEqual(500);
    expect(st.oldestUnsentAgeMs).toBe(5000);
    s.checkpoint();
    const after = s.stats();
    expect(after.bytesWritten).toBeGreaterThan(500);
    expect(after.bytesWrittenPerHour).toBeGreaterThan(after.bytesWritten);
  });

  it("lets the uplink publish an urgent frame before the periodic WAL checkpoint runs", () => {
    let now = 1_000_000;
    const s = track(openTestStore(setup(), { now: () => now }));
    s.put(frame(s, "t"));
    s.commit(); // the first commit checkpoints (none ran before)
    const written = s.stats().bytesWritten;
    now += 30_000; // a checkpoint is due with the next commit
    const seenByListener: number[] = [];
    s.onCommit(() => seenByListener.push(s.stats().bytesWritten));
    s.put(frame(s, "door", { urgent: true, priority: 0 })); // commitEveryEvent: committed at once
    // The write meter counts a checkpoint when it runs: unchanged for the listener, grown once commit() returned.
    expect(seenByListener).toEqual([written]);
    expect(s.stats().bytesWritten).toBeGreaterThan(written);
  });
});

describe("frame store self-repair while running", () => {
  it("quarantines a file that turns corrupt under it and keeps accepting frames", async () => {
    const { openSync, writeSync, closeSync, statSync } = await import("node:fs");
    const path = setup();
    const s = track(openTestStore(path, { cacheSizeKiB: 256 }));
    // More than the page cache, so reads go to the file.
    for (let i = 0; i < 4000; i++) s.put(frame(s, "t", { size: 1000 }));
    s.commit();
    const lastSeq = s.nextSeq("t");
    // Scribble over every page after the header, as a failing SD card would.
    for (const file of [path, `${path}-wal`]) {
      const fd = openSync(file, "r+");
      const size = statSync(file).size;
      for (let off = 4096; off < size; off += 4096) writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, off);
      closeSync(fd);
    }
    // Reading the queue (what the uplink does) or writing hits the damage; neither throws.
    expect(() => s.fetch(0, 1000)).not.toThrow();
    expect(() => {
      for (let i = 0; i < 10; i++) s.put(frame(s, "t"));
      s.commit();
    }).not.toThrow();
    expect(s.stats().quarantines).toBe(1);
    expect(readdirSync(join(path, "..")).some((n) => n.startsWith("store.db.corrupt-"))).toBe(true);
    const after = s.fetch(0, 1000).filter((f) => f.stream === "t");
    expect(after.length).toBe(10);
    expect(after.every((f) => f.seq > lastSeq)).toBe(true);
    expect(s.stats().drops.quarantine.frames).toBe(4000);
  });
});
