// Hann-windowed amplitude/power spectrum of one axis, with the band measures built on it.
import { cachedHann, nextPow2, realFftWork, workArray } from "./fft.js";

export interface Spectrum {
  rateHz: number;
  /** Signal length, and FFT size (power of two, >= the signal length; the signal is zero-padded). */
  n: number;
  size: number;
  /** Bin spacing in Hz. */
  df: number;
  /** |Y_k|^2 for k = 0..size/2 of the windowed, padded signal. */
  power: Float64Array;
  /** Sum of the window (amplitude normalisation) and sum of its squares (power normalisation). */
  windowSum: number;
  windowSumSq: number;
}

export function spectrum(x: ArrayLike<number>, rateHz: number, removeMean = true): Spectrum {
  const n = x.length;
  const size = nextPow2(n);
  const w = cachedHann(n);
  let mean = 0;
  if (removeMean) {
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
  }
  const y = workArray("fft-in", size); // zero-padded to size
  let windowSum = 0;
  let windowSumSq = 0;
  for (let i = 0; i < n; i++) {
    y[i] = (x[i] - mean) * w[i];
    windowSum += w[i];
    windowSumSq += w[i] * w[i];
  }
  const full = realFftWork(y, size);
  const half = size / 2;
  const power = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) power[k] = full[2 * k] * full[2 * k] + full[2 * k + 1] * full[2 * k + 1];
  return { rateHz, n, size, df: rateHz / size, power, windowSum, windowSumSq };
}

/** Peak amplitude (same unit as the signal) of a sine at bin k. */
export function amplitudeAt(s: Spectrum, k: number): number {
  return (2 * Math.sqrt(s.power[k])) / s.windowSum;
}

/**
 * Mean square of the signal between loHz and hiHz (Parseval on the one-sided spectrum, normalised by the window's
 * energy). A weighted measure sums its own bins (velocity.ts): a weighting function called per bin allocated its
 * result when not inlined.
 */
export function bandMeanSquare(s: Spectrum, loHz: number, hiHz: number): number {
  const [kLo, kHi] = bandBins(s, loHz, hiHz);
  let acc = 0;
  for (let k = kLo; k <= kHi; k++) acc += s.power[k];
  return bandNormalised(s, acc);
}

/** The bins [kLo, kHi] between loHz and hiHz, DC and Nyquist excluded. */
export function bandBins(s: Spectrum, loHz: number, hiHz: number): [number, number] {
  return [Math.max(1, Math.ceil(loHz / s.df)), Math.min(s.size / 2 - 1, Math.floor(hiHz / s.df))];
}

/** A sum of bin powers as bandMeanSquare returns it: normalised by the window's energy, one-sided. */
export function bandNormalised(s: Spectrum, powerSum: number): number {
  return (2 * powerSum) / (s.size * s.windowSumSq);
}

export function bandRms(s: Spectrum, loHz: number, hiHz: number): number {
  return Math.sqrt(bandMeanSquare(s, loHz, hiHz));
}

export interface SpectralPeak {
  hz: number;
  /** Peak amplitude, in the signal's unit. */
  amp: number;
}

/** Local maxima of the spectrum being searched, reused: a noisy spectrum has hundreds. */
let maxima = new Int32Array(1024);

/** The `count` largest local maxima between loHz and hiHz, largest first. */
export function topPeaks(s: Spectrum, count: number, loHz = 0, hiHz = Infinity): SpectralPeak[] {
  const [kLo, kHi] = bandBins(s, loHz, hiHz);
  let found = 0;
  for (let k = kLo; k <= kHi; k++) {
    const p = s.power[k];
    if (p > s.power[k - 1] && p >= s.power[k + 1]) {
      if (found === maxima.length) {
        const grown = new Int32Array(2 * maxima.length);
        grown.set(maxima);
        maxima = grown;
      }
      maxima[found++] = k;
    }
  }
  // Zero padding makes the Hann main lobe (+-2 bins of the unpadded resolution) and its side lobes show local
  // maxima beside a strong line; lines closer than 4 unpadded bins to a larger one are taken as the same line.
  // Largest first (the lower bin first among equals), each kept unless it is that close to one already kept: a
  // selection over the maxima, which for the few peaks asked for costs less than sorting them all.
  const minSep = (4 * s.size) / s.n;
  const kept: number[] = [];
  while (kept.length < count) {
    let best = -1;
    for (let i = 0; i < found; i++) if (maxima[i] >= 0 && (best < 0 || s.power[maxima[i]] > s.power[maxima[best]])) best = i;
    if (best < 0) break;
    const k = maxima[best];
    maxima[best] = -1;
    if (kept.every((j) => Math.abs(j - k) >= minSep)) kept.push(k);
  }
  return kept.map((k) => ({ hz: k * s.df, amp: amplitudeAt(s, k) }));
}
