import { describe, expect, it } from "vitest";
import { timeFeatures } from "../../agent/analytics/time-features.js";
import { gaussian, sine } from "./helpers.js";

describe("time-domain features", () => {
  it("a sine of amplitude A has RMS A/sqrt(2), crest sqrt(2), kurtosis 1.5, p2p 2A", () => {
    // 100 Hz at 3200 Hz over 1 s: whole periods (exact moments), 32 samples a period (one lands on each crest).
    const f = timeFeatures(sine(3200, 3200, 100, 2));
    expect(f.rms).toBeCloseTo(2 / Math.SQRT2, 9);
    expect(f.crest).toBeCloseTo(Math.SQRT2, 3);
    expect(f.kurtosis).toBeCloseTo(1.5, 9);
    expect(f.p2p).toBeCloseTo(4, 3);
    expect(f.peak).toBeCloseTo(2, 3);
  });

  it("removes the mean (gravity on the vertical axis) before everything else", () => {
    const x = sine(3200, 3200, 100, 0.5).map((v) => v + 1);
    const f = timeFeatures(x);
    expect(f.mean).toBeCloseTo(1, 9);
    expect(f.rms).toBeCloseTo(0.5 / Math.SQRT2, 9);
    expect(f.kurtosis).toBeCloseTo(1.5, 9);
  });

  it("Gaussian noise has kurtosis near 3 and RMS near its sigma", () => {
    const f = timeFeatures(gaussian(200_000, 0.2, 42));
    expect(f.kurtosis).toBeGreaterThan(2.9);
    expect(f.kurtosis).toBeLessThan(3.1);
    expect(f.rms).toBeCloseTo(0.2, 2);
  });

  it("impacts raise crest factor and kurtosis well above a sine's", () => {
    const x = gaussian(10_000, 0.01, 3);
    for (let i = 0; i < x.length; i += 500) x[i] += 1;
    const f = timeFeatures(x);
    expect(f.kurtosis).toBeGreaterThan(10);
    expect(f.crest).toBeGreaterThan(5);
  });

  it("answers zeros, not NaN, for an empty or constant window", () => {
    expect(timeFeatures([])).toEqual({ mean: 0, rms: 0, peak: 0, p2p: 0, crest: 0, kurtosis: 0 });
    const c = timeFeatures(new Float64Array(64).fill(3));
    expect(c.rms).toBe(0);
    expect(c.crest).toBe(0);
    expect(c.kurtosis).toBe(0);
  });
});
