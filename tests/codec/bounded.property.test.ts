import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame, interpolate } from "../../agent/codec/index.js";
import type { DecodedFrame } from "../../agent/codec/index.js";

/** Walks the original points against the kept ones, the way a consumer reconstructs: worst error in counts. */
function worstError(times: number[], values: number[], d: DecodedFrame): number {
  const kt = d.times;
  const kv = d.channels[0].counts;
  let j = 0;
  let worst = 0;
  for (let i = 0; i < times.length; i++) {
    if (j < d.count && kt[j] === times[i] && kv[j] === values[i]) {
      j++;
      continue;
    }
    if (j === 0 || j >= d.count) return Infinity; // first and last points are always kept
    expect(kt[j - 1] < times[i] && times[i] < kt[j]).toBe(true);
    worst = Math.max(worst, Math.abs(interpolate(kt[j - 1], kv[j - 1], kt[j], kv[j], times[i]) - values[i]));
  }
  expect(j).toBe(d.count);
  return worst;
}

describe("bounded error (swinging door)", () => {
  it("every original point is within maxError of the decoded line, whatever the input", () => {
    const steps = fc.array(fc.oneof(fc.integer({ min: 1, max: 120_000 }), fc.constant(60_000), fc.constant(0), fc.integer({ min: -100_000, max: -1 })), { maxLength: 400 });
    const walk = fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -1000, max: 1000 })), { maxLength: 401 });
    fc.assert(
      fc.property(steps, walk, fc.constantFrom(0, 0.01, 0.05, 0.5, 3), fc.integer({ min: 1, max: 7200 }), (st, dv, maxError, heartbeatS) => {
        const n = Math.min(st.length + 1, dv.length);
        const times: number[] = [];
        const values: number[] = [];
        for (let i = 0; i < n; i++) {
          times.push(i === 0 ? 1_700_000_000_000 : times[i - 1] + st[i - 1]);
          values.push((i === 0 ? 2000 : values[i - 1]) + dv[i]);
        }
        const f = encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels: [{ name: "t", unit: "degC", scale: 0.01, offset: 0 }], times, values: [values], maxError, heartbeatMs: heartbeatS * 1000 });
        const d = decodeFrame(f.bytes);
        expect(d.codec).toBe("bounded");
        expect(d.maxError).toBe(maxError);
        expect(worstError(times, values, d) * 0.01).toBeLessThanOrEqual(maxError + 1e-12);
        for (let k = 1; k < d.count; k++) {
          if (d.times[k] > d.times[k - 1]) expect(d.times[k] - d.times[k - 1] <= heartbeatS * 1000 || n === d.count).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("drops points on a slow signal (it actually reduces)", () => {
    const times = Array.from({ length: 600 }, (_, i) => 1_700_000_000_000 + i * 60_000);
    const values = times.map((_, i) => Math.round(400 + 50 * Math.sin(i / 100)));
    const d = decodeFrame(encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels: [{ name: "t", unit: "degC", scale: 0.01, offset: 0 }], times, values: [values], maxError: 0.05, heartbeatMs: 3_600_000 }).bytes);
    expect(d.count).toBeLessThan(150);
    expect(worstError(times, values, d)).toBeLessThanOrEqual(5);
  });
});
