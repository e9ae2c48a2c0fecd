// Bearing diagnosis from the envelope spectrum: amplitude at each defect frequency and its harmonics, compared
// with the local noise floor; the family that stands out most names the fault.
import type { FaultKind, FaultOrders } from "./bearing.js";
import { amplitudeAt, type Spectrum } from "./spectrum.js";

export type BearingFault = "outer-race" | "inner-race" | "ball" | "cage" | "none";

export const FAULT_NAMES: Record<FaultKind, BearingFault> = { bpfo: "outer-race", bpfi: "inner-race", bsf: "ball", ftf: "cage" };

export interface FaultAmplitudes {
  kind: FaultKind;
  hz: number;
  /** Envelope amplitude (g) at 1x, 2x, 3x ... the defect frequency. */
  harmonics: number[];
  /** Each harmonic's amplitude over the median of its neighbourhood. */
  prominence: number[];
  score: number;
}

export interface Diagnosis {
  fault: BearingFault;
  /** 0..1: how clearly the dominant family stands out of the floor and above the runner-up. */
  confidence: number;
  scores: Record<FaultKind, number>;
}

export interface DiagnosisOptions {
  harmonics?: number;
  /** Relative search tolerance around each expected frequency (bearings slip by 1-2 %). */
  tolerance?: number;
  /** A family must score at least this to be named (see `familyScore`). */
  threshold?: number;
  /**
   * ...and its fundamental must stand this far above the floor. The largest of the few dozen bins searched in pure
   * noise is about 2-3 times their median, so 4 keeps a healthy bearing quiet (checked on the CWRU normal recording).
   */
  minFundamental?: number;
}

const DEFAULTS = { harmonics: 3, tolerance: 0.02, threshold: 6, minFundamental: 4 };

/**
 * Reused for every neighbourhood: the diagnosis looks at a dozen of them per axis and window, each of hundreds of
 * bins, and a sorted copy of each was most of what the gateway's analysis allocated per second.
 */
let around = new Float64Array(1024);

/** Median of a[0..n), which it reorders. */
function medianInPlace(a: Float64Array, n: number): number {
  if (n === 0) return 0;
  const s = a.subarray(0, n).sort();
  const m = n >> 1;
  return n % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Largest peak within the tolerance of hz, and the median amplitude of the surrounding +-25 %. */
function peakAndFloor(s: Spectrum, hz: number, tolerance: number): { amp: number; floor: number } {
  const half = s.size / 2 - 1;
  const tolBins = Math.max(1.5, (hz * tolerance) / s.df);
  const k0 = hz / s.df;
  // Only a local maximum counts: the skirt of a strong line just outside the tolerance is not a peak here.
  let amp = amplitudeAt(s, Math.min(half, Math.max(1, Math.round(k0))));
  for (let k = Math.max(1, Math.floor(k0 - tolBins)); k <= Math.min(half, Math.ceil(k0 + tolBins)); k++) {
    if (s.power[k] >= s.power[k - 1] && s.power[k] >= s.power[k + 1]) amp = Math.max(amp, amplitudeAt(s, k));
  }
  const span = Math.max(8, (hz * 0.25) / s.df);
  const from = Math.max(1, Math.floor(k0 - span));
  const to = Math.min(half, Math.ceil(k0 + span));
  const n = Math.max(0, to - from + 1);
  if (around.length < n) around = new Float64Array(n);
  for (let k = from; k <= to; k++) around[k - from] = amplitudeAt(s, k);
  return { amp, floor: medianInPlace(around, n) };
}

/**
 * Score of a family: the fundamental's prominence counts fully, each further harmonic adds half of its excess over
 * the floor. A single lonely peak (a shaft harmonic that happens to fall near) scores less than a harmonic series.
 */
function familyScore(prominence: number[]): number {
  let score = prominence[0] ?? 0;
  for (let h = 1; h < prominence.length; h++) score += 0.5 * Math.max(0, prominence[h] - 1);
  return score;
}

export function faultAmplitudes(env: Spectrum, freqs: FaultOrders, opts: DiagnosisOptions = {}): FaultAmplitudes[] {
  const { harmonics, tolerance } = { ...DEFAULTS, ...opts };
  const nyq = env.rateHz / 2;
  return (Object.keys(FAULT_NAMES) as FaultKind[]).map((kind) => {
    const hz = freqs[kind];
    const amps: number[] = [];
    const prom: number[] = [];
    for (let h = 1; h <= harmonics && h * hz < nyq * 0.95; h++) {
      const { amp, floor } = peakAndFloor(env, h * hz, tolerance);
      amps.push(amp);
      prom.push(floor > 0 ? amp / floor : 0);
    }
    return { kind, hz, harmonics: amps, prominence: prom, score: familyScore(prom) };
  });
}

export function diagnose(families: FaultAmplitudes[], opts: DiagnosisOptions = {}): Diagnosis {
  const { threshold, minFundamental } = { ...DEFAULTS, ...opts };
  const scores = Object.fromEntries(families.map((f) => [f.kind, round2(f.score)])) as Record<FaultKind, number>;
  const eligible = families.filter((f) => (f.prominence[0] ?? 0) >= minFundamental && f.score >= threshold);
  const top = eligible.sort((a, b) => b.score - a.score)[0];
  if (!top) return { fault: "none", confidence: 0, scores };
  // Harmonics of two families can coincide (3 x BPFO is near 2 x BPFI for many bearings): the runner-up is any family.
  const second = Math.max(0, ...families.filter((f) => f !== top).map((f) => f.score));
  // Distance above the threshold and margin over the runner-up, each saturating at 1.
  const above = Math.min(1, (top.score - threshold) / threshold);
  const margin = Math.min(1, (top.score - second) / top.score / 0.5);
  return { fault: FAULT_NAMES[top.kind], confidence: round2(0.5 * above + 0.5 * Math.max(0, margin)), scores };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
