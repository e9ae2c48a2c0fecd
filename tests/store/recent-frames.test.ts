// The store's in-memory copy of the last commits' frames: the uplink's live reads must see exactly what a query
// of the database would return.
import Database from "better-sqlite3";
import fc from "fast-check";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { StoredFrame } from "../../agent/store/frame-store-types.js";
import { RecentFrames } from "../../agent/store/recent-frames.js";
import { frame, openTestStore, tempDir } from "./helpers.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const stored = (id: number, size = 10): StoredFrame => ({ id, createdMs: 0, stream: "s", seq: id, priority: 3, bytes: new Uint8Array(size), codec: "c", samples: 1, tFirst: 0, tLast: 0, untrusted: true, urgent: false });

describe("recent frames", () => {
  it("answers only for the ids it covers, and covers fewer as its bounds push the oldest out", () => {
    const r = new RecentFrames(3, 1000, 5);
    expect(r.covers(3)).toBe(false);
    expect(r.covers(4)).toBe(true);
    r.add([5, 6, 7, 8].map((id) => stored(id)));
    expect(r.covers(4)).toBe(false); // frame 5 went: the count bound is 3
    expect(r.covers(5)).toBe(true);
    expect(r.read(5, Infinity, 10, () => false).map((f) => f.id)).toEqual([6, 7, 8]);
    r.add([stored(9, 995)]); // the byte bound: only 9 fits
    expect(r.read(8, Infinity, 10, () => false).map((f) => f.id)).toEqual([9]);
    expect(r.covers(7)).toBe(false);
  });

  it("leaves out forgotten and skipped frames, stops at the limit and at uptoId, and takes rewritten bytes", () => {
    const r = new RecentFrames(100, 1e6, 1);
    r.add([1, 2, 3, 4, 5, 6].map((id) => stored(id)));
    r.forget([2, 99]);
    r.replace(4, Uint8Array.of(7));
    const got = r.read(0, 5, 3, (id) => id === 3);
    expect(got.map((f) => f.id)).toEqual([1, 4, 5]);
    expect([Array.from(got[1].bytes), got[1].untrusted]).toEqual([[7], false]);
    expect(r.read(0, 5, 2, () => false).map((f) => f.id)).toEqual([1, 3]);
  });

  it("the store's reads after any sequence of commits, acks and evictions equal a query of its file (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ frames: fc.array(fc.record({ priority: fc.integer({ min: 0, max: 4 }), size: fc.integer({ min: 1, max: 3000 }) }), { maxLength: 6 }), acks: fc.nat({ max: 4 }), pin: fc.nat({ max: 3 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        (steps) => {
          const t = tempDir();
          const path = join(t.dir, "store.db");
          // A small byte bound so that commits evict.
          const s = openTestStore(path, { maxBytes: 12_000 });
          const db = new Database(path, { readonly: true });
          try {
            let cursor = 0;
            const pinned = new Set<number>();
            for (const step of steps) {
              for (const f of step.frames) s.put(frame(s, `p${f.priority}`, { priority: f.priority as 0, size: f.size }));
              s.commit();
              // What a query of the file says, less the frames in flight, against what the store answers.
              for (const after of [0, cursor, s.lastId() - 2]) {
                const fromFile = (db.prepare("SELECT id, bytes FROM frames WHERE id > ? ORDER BY id").all(after) as { id: number; bytes: Buffer }[]).filter((r) => !pinned.has(r.id));
                const got = s.fetch(after, 1000);
                expect(got.map((f) => [f.id, f.bytes.length, Buffer.from(f.bytes).toString("hex", 0, 4)])).toEqual(fromFile.map((r) => [r.id, r.bytes.length, r.bytes.toString("hex", 0, 4)]));
              }
              // The uplink publishes a few (pins) and some are acknowledged.
              const next = s.fetch(cursor, step.pin);
              for (const f of next) {
                s.pin(f);
                pinned.add(f.id);
                cursor = f.id;
              }
              for (const id of [...pinned].slice(0, step.acks)) {
                s.ack(id);
                pinned.delete(id);
              }
            }
          } finally {
            db.close();
            s.close();
            t.cleanup();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
