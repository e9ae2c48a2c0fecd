import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WindowBuffer } from "../../agent/analytics/window-buffer.js";
import type { BlockRecord } from "../../agent/model.js";

function block(t0: number, rateHz: number, values: number[], gap = false): BlockRecord {
  return { kind: "block", stream: "m/accel", t0, rateHz, channels: [Int32Array.from(values), Int32Array.from(values.map((v) => -v))], ...(gap ? { gapBefore: { reason: "overflow" } } : {}) };
}

const unit = [
  { scale: 1, offset: 0 },
  { scale: 0.5, offset: 1 },
];

describe("window buffer", () => {
  it("windows are the concatenated signal cut at length and hop, whatever the block sizes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(0, 0.25, 0.5, 0.75),
        (sizes, overlap) => {
          const rate = 10; // window 1.6 s = 16 samples
          const wb = new WindowBuffer([0, 1], unit, 1.6, overlap);
          let next = 0;
          const windows = sizes.flatMap((n) => {
            const values = Array.from({ length: n }, (_, i) => next + i);
            const t0 = next * 100;
            next += n;
            return wb.push(block(t0, rate, values));
          });
          const hop = Math.round(16 * (1 - overlap));
          const expectedCount = next >= 16 ? Math.floor((next - 16) / hop) + 1 : 0;
          expect(windows.length).toBe(expectedCount);
          windows.forEach((w, j) => {
            const start = j * hop;
            expect(Array.from(w.axes[0])).toEqual(Array.from({ length: 16 }, (_, i) => start + i));
            expect(Array.from(w.axes[1])).toEqual(Array.from({ length: 16 }, (_, i) => -(start + i) * 0.5 + 1));
            expect(w.t0).toBeCloseTo(start * 100, 6);
            // The blocks handed over cover the window exactly: first starts at or before it, last ends at or after.
            const covered = w.blocks.reduce((n, b) => n + b.channels[0].length, 0);
            expect(covered).toBeGreaterThanOrEqual(16);
            expect(w.blocks[0].channels[0][0]).toBeLessThanOrEqual(start);
            const last = w.blocks[w.blocks.length - 1].channels[0];
            expect(last[last.length - 1]).toBeGreaterThanOrEqual(start + 15);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never stitches a window across a gap", () => {
    const wb = new WindowBuffer([0, 1], unit, 1, 0);
    expect(wb.push(block(0, 10, [1, 2, 3, 4, 5, 6]))).toHaveLength(0);
    expect(wb.push(block(2000, 10, [10, 11, 12, 13, 14, 15], true))).toHaveLength(0);
    const w = wb.push(block(2600, 10, [16, 17, 18, 19]));
    expect(w).toHaveLength(1);
    expect(Array.from(w[0].axes[0])).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(w[0].t0).toBe(2000);
  });

  it("starts over when the sample rate changes", () => {
    const wb = new WindowBuffer([0], [unit[0]], 1, 0);
    wb.push(block(0, 10, [1, 2, 3, 4, 5]));
    const w = wb.push(block(500, 4, [7, 8, 9, 10, 11, 12, 13, 14]));
    expect(w).toHaveLength(1);
    expect(w[0].rateHz).toBe(4);
    expect(Array.from(w[0].axes[0])).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
  });
});
