// The analysis reuses its working arrays from one window to the next and picks its peaks without sorting them all:
// neither may change a result.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeAxis, DEFAULT_ANALYSIS } from "../../agent/analytics/analyze-axis.js";
import { topPeaks, type Spectrum } from "../../agent/analytics/spectrum.js";
import { gaussian, impactTrain, SKF_6205 } from "./helpers.js";

/** The selection as it was written before: every local maximum, sorted (stably) by power, kept greedily. */
function topPeaksBySorting(s: Spectrum, count: number, loHz: number, hiHz: number): { hz: number; amp: number }[] {
  const kLo = Math.max(1, Math.ceil(loHz / s.df));
  const kHi = Math.min(s.size / 2 - 1, Math.floor(hiHz / s.df));
  const found: { k: number; p: number }[] = [];
  for (let k = kLo; k <= kHi; k++) if (s.power[k] > s.power[k - 1] && s.power[k] >= s.power[k + 1]) found.push({ k, p: s.power[k] });
  found.sort((a, b) => b.p - a.p);
  const minSep = (4 * s.size) / s.n;
  const kept: number[] = [];
  for (const { k } of found) {
    if (kept.length >= count) break;
    if (kept.every((j) => Math.abs(j - k) >= minSep)) kept.push(k);
  }
  return kept.map((k) => ({ hz: k * s.df, amp: (2 * Math.sqrt(s.power[k])) / s.windowSum }));
}

describe("analysis with reused working arrays", () => {
  it("top peaks are those of sorting every local maximum, ties and close lines included", () => {
    fc.assert(
      fc.property(
        // Few distinct levels, so equal maxima are common; sizes beyond the first working array (1024 maxima).
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 8, maxLength: 5000 }),
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (levels, count, lo, span) => {
          const size = 2 * (levels.length + 1);
          const s: Spectrum = { rateHz: 1000, n: Math.ceil(size * 0.8), size, df: 1000 / size, power: Float64Array.from([...levels, 0, 0]), windowSum: 3, windowSumSq: 2 };
          const loHz = lo * 500;
          const hiHz = loHz + span * 500;
          expect(topPeaks(s, count, loHz, hiHz)).toEqual(topPeaksBySorting(s, count, loHz, hiHz));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a window analysed after another gives what it gives alone", () => {
    const rate = 3200;
    const opts = { ...DEFAULT_ANALYSIS, shaftHz: 29.93, bearing: SKF_6205 };
    const a = impactTrain({ n: rate, rateHz: rate, defectHz: 107.4, resonanceHz: 1200 });
    const b = gaussian(rate / 2, 0.3, 7); // another length: other FFT sizes in the same arrays
    const first = analyzeAxis(a, rate, opts);
    const other = analyzeAxis(b, rate, opts);
    const again = analyzeAxis(a, rate, opts);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });
});
