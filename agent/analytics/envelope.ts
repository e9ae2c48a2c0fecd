// Envelope (demodulation) spectrum: band-pass around a structural resonance, Hilbert envelope, spectrum of the
// envelope. Bearing defects ring the resonance once per impact, so the impact rate shows in the envelope spectrum.
import { inverseFftWork, nextPow2, realFftWork, workArray } from "./fft.js";
import { spectrum, type Spectrum } from "./spectrum.js";

export interface EnvelopeResult {
  /** Resonance band used, Hz. */
  band: [number, number];
  /** Kurtosis of the envelope in that band (E|z|^4 / (E|z|^2)^2: 2 for Gaussian noise, higher for impacts). */
  kurtosis: number;
  /** Spectrum of the envelope (mean removed), amplitude unit: the signal's unit. */
  spectrum: Spectrum;
}

export interface EnvelopeOptions {
  /** Use this band; otherwise the band whose envelope is most impulsive is chosen (a coarse kurtogram). */
  band?: [number, number];
  /** Candidate bands narrower than this are not tried (they could not carry the modulation of interest). */
  minWidthHz?: number;
  /** Candidate bands must start above this (keeps shaft harmonics out of the demodulation band). */
  minLowHz?: number;
}

interface Demodulated {
  env: Float64Array;
  rateHz: number;
  kurtosis: number;
}

/**
 * The analytic signal is built in the frequency domain (negative frequencies dropped, positive doubled) and shifted
 * to baseband: |z| does not change under a frequency shift, and the baseband signal can be transformed back at a
 * much smaller size than the input, which is what makes a dozen candidate bands affordable on a gateway.
 */
function demodulate(full: Float64Array, size: number, n: number, rateHz: number, lo: number, hi: number, envRole: string): Demodulated {
  const df = rateHz / size;
  const kLo = Math.max(1, Math.ceil(lo / df));
  const kHi = Math.min(size / 2 - 1, Math.floor(hi / df));
  const bins = Math.max(1, kHi - kLo + 1);
  const m = Math.min(size, nextPow2(2 * bins));
  const z = workArray("envelope-z", 2 * m);
  for (let k = kLo; k <= kHi; k++) {
    z[2 * (k - kLo)] = 2 * full[2 * k];
    z[2 * (k - kLo) + 1] = 2 * full[2 * k + 1];
  }
  const t = inverseFftWork(z, m);
  const gain = m / size;
  const valid = Math.max(1, Math.floor((n * m) / size));
  const env = workArray(envRole, valid);
  let s2 = 0;
  let s4 = 0;
  for (let i = 0; i < valid; i++) {
    const a2 = (t[2 * i] ** 2 + t[2 * i + 1] ** 2) * gain * gain;
    env[i] = Math.sqrt(a2);
    s2 += a2;
    s4 += a2 * a2;
  }
  s2 /= valid;
  s4 /= valid;
  return { env, rateHz: (rateHz * m) / size, kurtosis: s2 > 0 ? s4 / (s2 * s2) : 0 };
}

/** Candidate bands: halves, quarters and eighths of the Nyquist range, each level overlapping by half a band. */
export function candidateBands(rateHz: number, minWidthHz: number, minLowHz: number): [number, number][] {
  const nyq = rateHz / 2;
  const out: [number, number][] = [];
  for (let level = 1; level <= 3; level++) {
    const width = nyq / 2 ** level;
    if (width < minWidthHz) break;
    for (let lo = 0; lo + width <= nyq + 1e-9; lo += width / 2) {
      if (lo >= minLowHz) out.push([lo, Math.min(lo + width, nyq * 0.98)]);
    }
  }
  return out;
}

export function envelopeSpectrum(x: ArrayLike<number>, rateHz: number, opts: EnvelopeOptions = {}): EnvelopeResult {
  const n = x.length;
  const size = nextPow2(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const centred = workArray("fft-in", size); // zero-padded to size
  for (let i = 0; i < n; i++) centred[i] = x[i] - mean;
  // Its own working array: spectrum() below reuses "fft-out", and every candidate band is cut from this one.
  const full = workArray("envelope-full", 2 * size);
  full.set(realFftWork(centred, size));

  let band = opts.band;
  let best: Demodulated | undefined;
  if (!band) {
    const nyq = rateHz / 2;
    const candidates = candidateBands(rateHz, opts.minWidthHz ?? 0, opts.minLowHz ?? 0);
    // Nothing fits (a low sample rate): demodulate the upper part of the spectrum as a whole.
    if (candidates.length === 0) candidates.push([Math.min(opts.minLowHz ?? 0, nyq / 2), nyq * 0.98]);
    // Two working arrays for the envelopes: each candidate is demodulated into the one not holding the best so far.
    let bestRole = "envelope-b";
    for (const c of candidates) {
      const role = bestRole === "envelope-a" ? "envelope-b" : "envelope-a";
      const d = demodulate(full, size, n, rateHz, c[0], c[1], role);
      if (!best || d.kurtosis > best.kurtosis) {
        best = d;
        band = c;
        bestRole = role;
      }
    }
  }
  const chosen = band!;
  const d = best ?? demodulate(full, size, n, rateHz, chosen[0], chosen[1], "envelope-a");
  return { band: chosen, kurtosis: d.kurtosis, spectrum: spectrum(d.env, d.rateHz, true) };
}
