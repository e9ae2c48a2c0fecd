import { describe, expect, it } from "vitest";
import { bandRms, spectrum, topPeaks } from "../../agent/analytics/spectrum.js";
import { velocityRmsMmS } from "../../agent/analytics/velocity.js";
import { sine } from "./helpers.js";

describe("velocity by frequency-domain integration", () => {
  it("1 g peak at 100 Hz is 11.04 mm/s RMS (9.80665 / (2 pi 100) / sqrt 2)", () => {
    const expected = (9.80665 / (2 * Math.PI * 100) / Math.SQRT2) * 1000;
    expect(expected).toBeCloseTo(11.04, 2);
    for (const rate of [3200, 25600]) {
      const v = velocityRmsMmS(spectrum(sine(rate, rate, 100, 1), rate));
      expect(Math.abs(v - expected) / expected).toBeLessThan(0.005);
    }
  });

  it("holds when the window is not a whole number of periods nor a power of two", () => {
    const rate = 3000;
    const expected = (9.80665 / (2 * Math.PI * 87.3) / Math.SQRT2) * 1000 * 0.5;
    const v = velocityRmsMmS(spectrum(sine(2900, rate, 87.3, 0.5), rate));
    expect(Math.abs(v - expected) / expected).toBeLessThan(0.01);
  });

  it("ignores what lies outside 10-1000 Hz", () => {
    const rate = 6400;
    const inBand = sine(rate, rate, 200, 0.2);
    const low = sine(rate, rate, 3, 1);
    const high = sine(rate, rate, 2500, 1);
    const mixed = inBand.map((v, i) => v + low[i] + high[i]);
    const ref = velocityRmsMmS(spectrum(inBand, rate));
    const got = velocityRmsMmS(spectrum(mixed, rate));
    expect(Math.abs(got - ref) / ref).toBeLessThan(0.01);
  });
});

describe("spectrum", () => {
  it("finds the top peaks at their frequencies and amplitudes", () => {
    const rate = 4096;
    const a = sine(4096, rate, 50, 0.3);
    const b = sine(4096, rate, 120, 0.1);
    const s = spectrum(a.map((v, i) => v + b[i]), rate);
    const peaks = topPeaks(s, 2);
    expect(peaks.map((p) => p.hz)).toEqual([50, 120]);
    expect(peaks[0].amp).toBeCloseTo(0.3, 3);
    expect(peaks[1].amp).toBeCloseTo(0.1, 3);
  });

  it("band RMS splits the energy between bands", () => {
    const rate = 8192;
    const a = sine(8192, rate, 500, 1);
    const b = sine(8192, rate, 2000, 0.5);
    const s = spectrum(a.map((v, i) => v + b[i]), rate);
    expect(bandRms(s, 10, 1000)).toBeCloseTo(1 / Math.SQRT2, 3);
    expect(bandRms(s, 1000, 4000)).toBeCloseTo(0.5 / Math.SQRT2, 3);
  });
});

describe("top peaks with zero padding", () => {
  it("a single line is one peak, not its side lobes", () => {
    const rate = 3200; // 3200 samples padded to 4096
    const s = spectrum(sine(3200, rate, 70.3, 0.3), rate);
    const peaks = topPeaks(s, 3);
    expect(peaks[0].hz).toBeCloseTo(70.3, 0);
    for (const p of peaks.slice(1)) expect(Math.abs(p.hz - 70.3)).toBeGreaterThanOrEqual(4);
  });
});
