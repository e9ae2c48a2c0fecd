import { describe, expect, it } from "vitest";
import { analyzeBearing } from "../../agent/analytics/analyze-axis.js";
import { faultFrequencies, faultOrders } from "../../agent/analytics/bearing.js";
import { envelopeSpectrum } from "../../agent/analytics/envelope.js";
import { amplitudeAt } from "../../agent/analytics/spectrum.js";
import { gaussian, impactTrain, SKF_6205 } from "./helpers.js";

const RATE = 25600;
const SHAFT_HZ = 25;

describe("bearing defect frequencies", () => {
  it("match the published orders of the SKF 6205 (CWRU bearing data center table)", () => {
    const o = faultOrders(SKF_6205);
    expect(o.bpfi).toBeCloseTo(5.4152, 4);
    expect(o.bpfo).toBeCloseTo(3.5848, 4);
    expect(o.ftf).toBeCloseTo(0.39828, 4);
    // CWRU lists 4.7135, twice the ball spin frequency.
    expect(2 * o.bsf).toBeCloseTo(4.7135, 3);
  });

  it("scale with shaft speed", () => {
    const f = faultFrequencies(SKF_6205, 1796 / 60);
    expect(f.bpfi).toBeCloseTo(162.1, 1);
    expect(f.bpfo).toBeCloseTo(107.3, 1);
  });

  it("a contact angle lowers BPFI and raises BPFO towards balls/2", () => {
    const o = faultOrders({ ...SKF_6205, contactAngleDeg: 40 });
    const o0 = faultOrders(SKF_6205);
    expect(o.bpfi).toBeLessThan(o0.bpfi);
    expect(o.bpfo).toBeGreaterThan(o0.bpfo);
  });
});

describe("envelope spectrum", () => {
  it("recovers the modulation frequency and depth of an amplitude-modulated carrier", () => {
    // (1 + 0.5 cos(2 pi 40 t)) sin(2 pi 3000 t): envelope = 1 + 0.5 cos(...), a 0.5 g line at 40 Hz.
    const n = RATE;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / RATE;
      x[i] = (1 + 0.5 * Math.cos(2 * Math.PI * 40 * t)) * Math.sin(2 * Math.PI * 3000 * t);
    }
    const env = envelopeSpectrum(x, RATE, { band: [2000, 4000] });
    // 40 Hz need not fall on a bin: the largest of the neighbouring bins, within the Hann window's scalloping loss.
    const k = Math.round(40 / env.spectrum.df);
    const amp = Math.max(amplitudeAt(env.spectrum, k - 1), amplitudeAt(env.spectrum, k), amplitudeAt(env.spectrum, k + 1));
    expect(Math.abs(amp - 0.5) / 0.5).toBeLessThan(0.03);
  });

  it("picks the band where the impacts ring when none is configured", () => {
    const x = impactTrain({ n: RATE, rateHz: RATE, defectHz: 90, resonanceHz: 9000, noiseG: 0.02 });
    const env = envelopeSpectrum(x, RATE, { minWidthHz: 300, minLowHz: 300 });
    // The ringing's skirt may be cleaner than its centre: the band lies within one band width of the resonance.
    const width = env.band[1] - env.band[0];
    expect(Math.abs((env.band[0] + env.band[1]) / 2 - 9000)).toBeLessThan(width);
    // Gaussian noise would give an envelope kurtosis of 2.
    expect(env.kurtosis).toBeGreaterThan(4);
  });
});

describe("bearing diagnosis", () => {
  const freqs = faultFrequencies(SKF_6205, SHAFT_HZ);

  it("an impact train at BPFO is an outer-race fault", () => {
    const x = impactTrain({ n: RATE, rateHz: RATE, defectHz: freqs.bpfo });
    const b = analyzeBearing(x, RATE, SKF_6205, SHAFT_HZ);
    expect(b.diagnosis.fault).toBe("outer-race");
    expect(b.diagnosis.confidence).toBeGreaterThan(0.5);
    const bpfo = b.families.find((f) => f.kind === "bpfo")!;
    expect(bpfo.prominence[0]).toBeGreaterThan(4);
  });

  it("an impact train at BPFI modulated by the shaft is an inner-race fault", () => {
    const x = impactTrain({ n: RATE, rateHz: RATE, defectHz: freqs.bpfi, modulationHz: SHAFT_HZ, seed: 11 });
    expect(analyzeBearing(x, RATE, SKF_6205, SHAFT_HZ).diagnosis.fault).toBe("inner-race");
  });

  it("impacts at twice the ball spin frequency are a ball fault", () => {
    const x = impactTrain({ n: RATE, rateHz: RATE, defectHz: 2 * freqs.bsf, seed: 5 });
    // The ball family's second harmonic carries it; its fundamental (once per ball turn) must still stand out.
    const x1 = impactTrain({ n: RATE, rateHz: RATE, defectHz: freqs.bsf, impactG: 0.5, noiseG: 0, seed: 6 });
    const both = x.map((v, i) => v + x1[i]);
    expect(analyzeBearing(both, RATE, SKF_6205, SHAFT_HZ).diagnosis.fault).toBe("ball");
  });

  it("an impact train 1.5 % off the kinematic BPFO (slip) is still outer race", () => {
    const x = impactTrain({ n: RATE, rateHz: RATE, defectHz: freqs.bpfo * 0.985, seed: 9 });
    expect(analyzeBearing(x, RATE, SKF_6205, SHAFT_HZ).diagnosis.fault).toBe("outer-race");
  });

  it("Gaussian noise gives no diagnosis", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const b = analyzeBearing(gaussian(RATE, 0.1, seed), RATE, SKF_6205, SHAFT_HZ);
      expect(b.diagnosis).toMatchObject({ fault: "none", confidence: 0 });
    }
  });

  it("impacts at a frequency of no bearing defect give no diagnosis", () => {
    const x = impactTrain({ n: RATE, rateHz: RATE, defectHz: 61.3, seed: 4 });
    expect(analyzeBearing(x, RATE, SKF_6205, SHAFT_HZ).diagnosis.fault).toBe("none");
  });
});

describe("bearing analysis at a MEMS sample rate", () => {
  it("an 800 Hz accelerometer, too slow for the usual band, still answers (no crash, no false fault)", () => {
    const rate = 800;
    const b = analyzeBearing(gaussian(rate, 0.05, 8), rate, SKF_6205, 1796 / 60);
    expect(b.band[1]).toBeLessThanOrEqual(rate / 2);
    expect(b.diagnosis.fault).toBe("none");
    expect(b.families.every((f) => f.score >= 0 && Number.isFinite(f.score))).toBe(true);
  });

  it("a window shorter than one defect period gives no diagnosis rather than an error", () => {
    const b = analyzeBearing(gaussian(64, 0.05, 9), 3200, SKF_6205, 25);
    expect(b.diagnosis.fault).toBe("none");
  });
});
