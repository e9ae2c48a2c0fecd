// Linear prediction for waveforms: autocorrelation, Levinson-Durbin, coefficient quantization (the method FLAC
// uses; written from the textbook recursion). Coefficients are quantized so encoder and decoder predict with the
// exact same integer arithmetic.

export const MAX_LPC_ORDER = 32;
export const LPC_PRECISION = 15;

export interface QuantizedLpc {
  order: number;
  shift: number;
  coefs: number[];
}

/** Real-valued predictors of every order 1..maxOrder from one analysis window, and their residual energies. */
export interface LpcModels {
  /** coefs[p] holds the p coefficients of the order-p predictor (coefs[0] is empty). */
  coefs: Float64Array[];
  /** err[p] / err[0]: relative residual energy of order p. */
  err: number[];
  /** Samples analysed. */
  n: number;
}

/** Autocorrelation of a Welch-windowed, mean-removed window, then Levinson-Durbin up to maxOrder. */
export function lpcModels(x: ArrayLike<number>, start: number, end: number, maxOrder: number): LpcModels | undefined {
  const n = end - start;
  if (maxOrder < 1 || n < 2) return undefined;
  let mean = 0;
  for (let i = start; i < end; i++) mean += x[i];
  mean /= n;
  // A Welch window damps the edges so the estimate is not biased by the segment cut.
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = (2 * i) / (n - 1) - 1;
    w[i] = (x[start + i] - mean) * (1 - u * u * 0.5);
  }
  const r = new Float64Array(maxOrder + 1);
  for (let lag = 0; lag <= maxOrder; lag++) {
    let s = 0;
    for (let i = lag; i < n; i++) s += w[i] * w[i - lag];
    r[lag] = s;
  }
  if (r[0] <= 0) return undefined;
  r[0] *= 1 + 1e-9; // lag-window regularisation keeps the recursion stable on nearly periodic input
  let a = new Float64Array(maxOrder + 1);
  let err = r[0];
  const out: LpcModels = { coefs: [new Float64Array(0)], err: [err], n };
  for (let p = 1; p <= maxOrder; p++) {
    let acc = r[p];
    for (let j = 1; j < p; j++) acc -= a[j] * r[p - j];
    const k = acc / err;
    const next = new Float64Array(maxOrder + 1);
    next[p] = k;
    for (let j = 1; j < p; j++) next[j] = a[j] - k * a[p - j];
    a = next;
    err *= 1 - k * k;
    if (!(err > 0)) break;
    out.coefs.push(a.slice(1, p + 1));
    out.err.push(err);
  }
  return out;
}

/** Picks an order by the estimated bit cost (residual energy vs coefficient bits) and quantizes the coefficients. */
export function fitLpc(x: ArrayLike<number>, start: number, end: number, maxOrder = MAX_LPC_ORDER): QuantizedLpc | undefined {
  const n = end - start;
  if (n < 4 * maxOrder) maxOrder = Math.floor(n / 4);
  const models = lpcModels(x, start, end, maxOrder);
  if (!models) return undefined;
  let best: { order: number; coefs: Float64Array; bits: number } | undefined;
  for (let p = 1; p < models.coefs.length; p++) {
    const bits = 0.5 * n * Math.log2(Math.max(models.err[p] / models.err[0], 1e-12)) + p * LPC_PRECISION;
    if (!best || bits < best.bits) best = { order: p, coefs: models.coefs[p], bits };
  }
  if (!best) return undefined;
  let cmax = 0;
  for (const c of best.coefs) cmax = Math.max(cmax, Math.abs(c));
  if (cmax === 0) return undefined;
  const shift = Math.max(0, Math.min(24, LPC_PRECISION - 1 - Math.ceil(Math.log2(cmax + 1e-12))));
  const coefs = Array.from(best.coefs, (c) => {
    const q = Math.round(c * 2 ** shift);
    return Math.max(-(2 ** (LPC_PRECISION - 1)), Math.min(2 ** (LPC_PRECISION - 1) - 1, q));
  });
  return { order: best.order, shift, coefs };
}
