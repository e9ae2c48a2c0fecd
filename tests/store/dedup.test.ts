import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Deduplicator } from "../../agent/codec/dedup.js";
import { decodeFrame, encodeFrame, streamId } from "../../agent/codec/index.js";

describe("Deduplicator", () => {
  it("accepts each (gateway, stream, seq) once, in any order, with repeats", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("g1", "g2"), fc.constantFrom("a", "b/c"), fc.integer({ min: 0, max: 300 })), { maxLength: 500 }), (xs) => {
        const d = new Deduplicator();
        const seen = new Set<string>();
        for (const [g, s, n] of xs) {
          const k = `${g}|${s}|${n}`;
          expect(d.accept(g, s, n)).toBe(!seen.has(k));
          seen.add(k);
        }
      }),
    );
  });

  it("accepts a backlog arriving below live numbers", () => {
    const d = new Deduplicator();
    for (let s = 1000; s < 1100; s++) expect(d.accept("g", "s", s)).toBe(true);
    for (let s = 0; s < 1000; s++) expect(d.accept("g", "s", s)).toBe(true);
    for (let s = 0; s < 1100; s += 7) expect(d.accept("g", "s", s)).toBe(false);
    expect(d.duplicateCount).toBe(158);
  });

  it("keeps memory bounded: ranges per stream and streams", () => {
    const d = new Deduplicator({ maxStreams: 3, maxRangesPerStream: 4 });
    for (let s = 0; s < 100; s += 2) d.accept("g", "s", s); // 50 isolated numbers -> ranges merge
    expect(d.accept("g", "s", 98)).toBe(false);
    expect(d.accept("g", "s", 99)).toBe(true);
    for (const st of ["a", "b", "c", "d"]) d.accept("g", st, 1);
    expect(d.size).toBe(3);
  });

  it("a stream's name and its id are the same stream: full and compact frames de-duplicate against each other", () => {
    const input = { kind: "event" as const, stream: "room/door", seq: 12, events: [{ t: 1_700_000_000_000, type: "door.open", data: {} }] };
    const full = decodeFrame(encodeFrame(input).bytes);
    const compact = decodeFrame(encodeFrame({ ...input, header: "compact" }).bytes);
    const d = new Deduplicator();
    expect(d.acceptFrame("g", compact)).toBe(true);
    expect(d.acceptFrame("g", full)).toBe(false);
    expect(d.accept("g", "room/door", 12)).toBe(false); // the topic's name
    expect(d.accept("g", streamId("room/door"), 12)).toBe(false);
    expect(d.accept("g", "room/door", 13)).toBe(true);
    expect(d.accept("g2", streamId("room/door"), 12)).toBe(true); // another gateway
    expect(d.accept("g", "room/window", 12)).toBe(true);
    expect(d.duplicateCount).toBe(3);
  });
});
