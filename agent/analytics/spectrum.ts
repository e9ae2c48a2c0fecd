// Hann-windowed amplitude/power spectrum of one axis, with the band measures built on it.
import { hann, nextPow2, realFft } from "./fft.js";

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
  const w = hann(n);
  let mean = 0;
  if (removeMean) {
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
  }
  const y = new Float64Array(n);
  let windowSum = 0;
  let windowSumSq = 0;
  for (let i = 0; i < n; i++) {
    y[i] = (x[i] - mean) * w[i];
    windowSum += w[i];
    windowSumSq += w[i] * w[i];
  }
  const full = realFft(y, size);
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
 * Mean square of the signal between loHz and hiHz, with each bin weighted by `weight(f)` (Parseval on the
 * one-sided spectrum, normalised by the window's energy).
 */
export function bandMeanSquare(s: Spectrum, loHz: number, hiHz: number, weight: (f: number) => number = () => 1): number {
  const kLo = Math.max(1, Math.ceil(loHz / s.df));
  const kHi = Math.min(s.size / 2 - 1, Math.floor(hiHz / s.df));
  let acc = 0;
  for (let k = kLo; k <= kHi; k++) acc += s.power[k] * weight(k * s.df);
  return (2 * acc) / (s.size * s.windowSumSq);
}

export function bandRms(s: Spectrum, loHz: number, hiHz: number): number {
  return Math.sqrt(bandMeanSquare(s, loHz, hiHz));
}

export interface SpectralPeak {
  hz: number;
  /** Peak amplitude, in the signal's unit. */
  amp: number;
}

/** The `count` largest local maxima between loHz and hiHz, largest first. */
export function topPeaks(s: Spectrum, count: number, loHz = 0, hiHz = Infinity): SpectralPeak[] {
  const kLo = Math.max(1, Math.ceil(loHz / s.df));
  const kHi = Math.min(s.size / 2 - 1, Math.floor(hiHz / s.df));
  const found: { k: number; p: number }[] = [];
  for (let k = kLo; k <= kHi; k++) {
    const p = s.power[k];
    if (p > s.power[k - 1] && p >= s.power[k + 1]) found.push({ k, p });
  }
  found.sort((a, b) => b.p - a.p);
  // Zero padding makes the Hann main lobe (+-2 bins of the unpadded resolution) and its side lobes show local
  // maxima beside a strong line; lines closer than 4 unpadded bins to a larger one are taken as the same line.
  const minSep = (4 * s.size) / s.n;
  const kept: number[] = [];
  for (const { k } of found) {
    if (kept.length >= count) break;
    if (kept.every((j) => Math.abs(j - k) >= minSep)) kept.push(k);
  }
  return kept.map((k) => ({ hz: k * s.df, amp: amplitudeAt(s, k) }));
}
