import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Deduplicator } from "../../agent/codec/dedup.js";

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
});
