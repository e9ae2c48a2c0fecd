// Time-domain features of one axis: what a vibration analyst reads first.

export interface TimeFeatures {
  /** Mean (DC, e.g. gravity) removed before everything else. */
  mean: number;
  rms: number;
  /** Largest absolute deviation from the mean. */
  peak: number;
  p2p: number;
  /** peak / rms: sqrt(2) for a sine; rises with impacts. */
  crest: number;
  /** Fourth standardised moment (not excess): 1.5 for a sine, 3 for Gaussian noise, higher for impacts. */
  kurtosis: number;
}

export function timeFeatures(x: ArrayLike<number>): TimeFeatures {
  const n = x.length;
  if (n === 0) return { mean: 0, rms: 0, peak: 0, p2p: 0, crest: 0, kurtosis: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  const rms = Math.sqrt(m2);
  const peak = Math.max(max - mean, mean - min);
  return {
    mean,
    rms,
    peak,
    p2p: max - min,
    crest: rms > 0 ? peak / rms : 0,
    kurtosis: m2 > 0 ? m4 / (m2 * m2) : 0,
  };
}
