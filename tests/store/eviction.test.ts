// evictFrames on its own, on a real SQLite file with the store's schema: the order frames go in, what it skips, and
// that it stops as soon as enough room is free.
import { describe, expect, it } from "vitest";
import { evictFrames, type DroppedFrame } from "../../agent/store/eviction.js";
import { ROW_OVERHEAD_BYTES } from "../../agent/store/sql.js";
import { Priority } from "../../agent/model.js";
import { useSchemaDb } from "./helpers.js";

const db = useSchemaDb();
const prepare = (sql: string) => db().prepare(sql);

/** Inserts a frame of `size` payload bytes; returns its id. */
function insert(stream: string, priority: number, size = 100): number {
  const r = db()
    .prepare("INSERT INTO frames (stream, seq, priority, urgent, untrusted, codec, samples, t_first, t_last, created_ms, bytes) VALUES (?,?,?,0,0,'test',10,?,?,0,?)")
    .run(stream, 0, priority, 1000, 1009, new Uint8Array(size));
  return Number(r.lastInsertRowid);
}
const left = () => (db().prepare("SELECT id FROM frames ORDER BY id").all() as { id: number }[]).map((r) => r.id);

describe("evictFrames", () => {
  it("takes waveforms first, then the oldest periodic data, and never a frame more important than asked", () => {
    const event = insert("door", Priority.event);
    const p1 = insert("temp", Priority.periodic);
    const w1 = insert("vib", Priority.waveform);
    const p2 = insert("temp", Priority.periodic);
    const w2 = insert("vib", Priority.waveform);
    const deleted: number[] = [];
    const dropped: DroppedFrame[] = [];
    const freed = evictFrames(prepare, () => false, Priority.periodic, Number.MAX_SAFE_INTEGER, (f) => dropped.push(f), deleted);
    expect(deleted).toEqual([w1, w2, p1, p2]);
    expect(left()).toEqual([event]);
    expect(freed).toEqual({ frames: 4, bytes: 4 * (100 + ROW_OVERHEAD_BYTES) });
    expect(dropped[0]).toEqual({ stream: "vib", samples: 10, tFirst: 1000, tLast: 1009 });
  });

  it("stops once the bytes asked for are free", () => {
    const ids = [insert("vib", Priority.waveform), insert("vib", Priority.waveform), insert("vib", Priority.waveform)];
    const deleted: number[] = [];
    // Each frame frees its 100 bytes and the row overhead: two are needed for 250 bytes.
    evictFrames(prepare, () => false, Priority.waveform, 250, () => {}, deleted);
    expect(deleted).toEqual(ids.slice(0, 2));
    expect(left()).toEqual(ids.slice(2));
  });

  it("skips frames in flight and goes on past a batch of 64 of them", () => {
    const ids = Array.from({ length: 70 }, () => insert("vib", Priority.waveform));
    const busy = new Set(ids.slice(0, 66));
    const deleted: number[] = [];
    evictFrames(prepare, (id) => busy.has(id), Priority.waveform, 1, () => {}, deleted);
    expect(deleted).toEqual([ids[66]]);
  });

  it("frees nothing when only more important frames are left", () => {
    insert("door", Priority.event);
    const deleted: number[] = [];
    expect(evictFrames(prepare, () => false, Priority.periodic, 1000, () => {}, deleted)).toEqual({ bytes: 0, frames: 0 });
    expect(left()).toHaveLength(1);
  });
});
