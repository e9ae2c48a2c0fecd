// The open-batch checkpoint row: one per grouped commit, replayed in order after a crash.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Priority } from "../../agent/model.js";
import type { OpenPart } from "../../agent/pipeline/frame.js";
import { decodeOpenBundle, encodeOpenBundle, OpenBundleError, replayOpenBundles } from "../../agent/store/open-bundle.js";

const part = (stream: string, seq: number, n: number, bytes: number[]): OpenPart => ({ stream, seq, part: n, priority: Priority.periodic, samples: bytes.length, bytes: Uint8Array.from(bytes) });

describe("open-batch bundle rows", () => {
  it("round-trips parts of several streams and the batches a commit closes", () => {
    const bundle = { parts: [part("room/t", 7, 0, [1, 2, 3]), part("cold-ä/t", 2 ** 40, 3, [])], closed: [{ stream: "room/t", seq: 6 }] };
    const back = decodeOpenBundle(encodeOpenBundle(bundle));
    expect(back.closed).toEqual(bundle.closed);
    expect(back.parts.map((p) => ({ ...p, bytes: Array.from(p.bytes) }))).toEqual(bundle.parts.map((p) => ({ ...p, bytes: Array.from(p.bytes) })));
  });

  it("round-trips any bundle (property)", () => {
    const partArb = fc.record({
      stream: fc.string({ maxLength: 40 }),
      seq: fc.maxSafeNat(),
      part: fc.nat({ max: 0xffffffff }),
      priority: fc.constantFrom(...Object.values(Priority)),
      samples: fc.nat({ max: 0xffffffff }),
      bytes: fc.uint8Array({ maxLength: 64 }),
    });
    fc.assert(
      fc.property(fc.array(partArb, { maxLength: 8 }), fc.array(fc.record({ stream: fc.string({ maxLength: 40 }), seq: fc.maxSafeNat() }), { maxLength: 8 }), (parts, closed) => {
        const back = decodeOpenBundle(encodeOpenBundle({ parts, closed }));
        expect(back.closed).toEqual(closed);
        expect(back.parts.map((p) => ({ ...p, bytes: Array.from(p.bytes) }))).toEqual(parts.map((p) => ({ ...p, bytes: Array.from(p.bytes) })));
      }),
    );
  });

  it("refuses a truncated row, trailing bytes and an unknown version", () => {
    const bytes = encodeOpenBundle({ parts: [part("a", 1, 0, [9, 9])], closed: [{ stream: "b", seq: 2 }] });
    for (let n = 0; n < bytes.length; n++) expect(() => decodeOpenBundle(bytes.subarray(0, n))).toThrow(OpenBundleError);
    expect(() => decodeOpenBundle(Uint8Array.from([...bytes, 0]))).toThrow(/trailing/);
    expect(() => decodeOpenBundle(Uint8Array.from([2, ...bytes.subarray(1)]))).toThrow(/version 2/);
  });

  it("replay keeps the batches no later row closed, their parts in order", () => {
    const open = replayOpenBundles([
      { parts: [part("a", 1, 0, [1]), part("b", 5, 0, [50])], closed: [] },
      { parts: [part("a", 1, 1, [2]), part("b", 5, 1, [51])], closed: [{ stream: "a", seq: 1 }] },
      { parts: [part("a", 2, 0, [3]), part("b", 5, 2, [52])], closed: [] },
    ]);
    expect([...open.values()].map((b) => [b.stream, b.seq, b.parts.map((p) => Array.from(p))])).toEqual([
      ["b", 5, [[50], [51], [52]]],
      ["a", 2, [[3]]],
    ]);
  });
});
