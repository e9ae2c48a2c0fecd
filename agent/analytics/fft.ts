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

/**
 * Working arrays reused from one analysis window to the next, one per role, grown as needed. A window of three axes
 * used to allocate about forty arrays of tens of KB each; their memory is outside V8's heap and is returned only when
 * a young-generation collection finds the small objects that own it, so with little else allocated it piled up to
 * tens of MB between collections. Valid until the next request for the same role: only for results consumed at once.
 */
const work = new Map<string, Float64Array>();

/** A zeroed working array of `length` for `role` (see `work`). */
export function workArray(role: string, length: number): Float64Array {
  let a = work.get(role);
  if (!a || a.length < length) work.set(role, (a = new Float64Array(length)));
  const view = a.subarray(0, length);
  view.fill(0);
  return view;
}

/**
 * Full complex spectrum (interleaved re, im; length 2*size) of a real signal already zero-padded to `size`, in the
 * working array "fft-out".
 */
export function realFftWork(input: Float64Array, size: number): Float64Array {
  const out = workArray("fft-out", 2 * size);
  const f = plan(size);
  f.realTransform(out, input);
  f.completeSpectrum(out);
  return out;
}

/** Inverse transform of an interleaved complex spectrum (fft.js normalises by 1/size), in the working array "ifft-out". */
export function inverseFftWork(spectrum: Float64Array, size: number): Float64Array {
  const out = workArray("ifft-out", 2 * size);
  plan(size).inverseTransform(out, spectrum);
  return out;
}

const hannWindows = new Map<number, Float64Array>();

/** hann(n), computed once per length (callers only read it). */
export function cachedHann(n: number): Float64Array {
  let w = hannWindows.get(n);
  if (!w) hannWindows.set(n, (w = hann(n)));
  return w;
}

/** Periodic Hann window of length n. */
export function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}
