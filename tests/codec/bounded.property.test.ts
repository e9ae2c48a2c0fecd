import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame } from "../../agent/codec/index.js";
import { worstError } from "./bounded-check.js";

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
        // Heartbeat: a longer stretch between kept points only where the readings themselves were further apart.
        for (let k = 1; k < d.count; k++) {
          const span = d.times[k] - d.times[k - 1];
          if (span > heartbeatS * 1000) expect(times.some((t, i) => i > 0 && t - times[i - 1] >= span - 1e-9 && times[i - 1] <= d.times[k - 1] + 1e-9)).toBe(true);
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
