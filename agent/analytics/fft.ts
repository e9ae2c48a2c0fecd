// Thin helpers over fft.js (radix-4, power-of-two sizes): one cached plan per size, half spectra of real signals.
import FFT from "fft.js";

const plans = new Map<number, FFT>();

export function nextPow2(n: number): number {
  let p = 4;
  while (p < n) p *= 2;
  return p;
}

export function plan(size: number): FFT {
  let p = plans.get(size);
  if (!p) {
    p = new FFT(size);
    plans.set(size, p);
  }
  return p;
}

/** Full complex spectrum (interleaved re, im; length 2*size) of a real signal zero-padded to `size`. */
export function realFft(x: ArrayLike<number>, size: number): Float64Array {
  const input = new Float64Array(size);
  const n = Math.min(x.length, size);
  for (let i = 0; i < n; i++) input[i] = x[i];
  const out = new Float64Array(2 * size);
  const f = plan(size);
  f.realTransform(out, input);
  f.completeSpectrum(out);
  return out;
}

/** Inverse transform of an interleaved complex spectrum (fft.js normalises by 1/size). */
export function inverseFft(spectrum: Float64Array, size: number): Float64Array {
  const out = new Float64Array(2 * size);
  plan(size).inverseTransform(out, spectrum);
  return out;
}

/** Periodic Hann window of length n. */
export function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}
