// The floor printed beside the results: order-0 entropy of the residuals of a 16th-order linear predictor fitted
// (least squares, autocorrelation method) to the whole series. A coder using one fixed predictor and no context
// cannot go below it; adaptive prediction and context modelling can.
import { levinson } from "../../agent/codec/lpc.js";

export function lpcResidualEntropyBits(x: ArrayLike<number>, order = 16): number {
  const n = x.length;
  if (n <= order + 1) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const r = new Float64Array(order + 1);
  for (let lag = 0; lag <= order; lag++) {
    let s = 0;
    for (let i = lag; i < n; i++) s += (x[i] - mean) * (x[i - lag] - mean);
    r[lag] = s;
  }
  r[0] *= 1 + 1e-10;
  // The highest order the recursion reached (none when the series is constant): a[j - 1] weighs x[i - j].
  const a = r[0] > 0 ? levinson(r, order, n).coefs.at(-1)! : new Float64Array(0);
  const hist = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let pred = mean;
    for (let j = 1; j <= a.length; j++) pred += a[j - 1] * ((i - j >= 0 ? x[i - j] : mean) - mean);
    const res = x[i] - Math.round(pred);
    hist.set(res, (hist.get(res) ?? 0) + 1);
  }
  let h = 0;
  for (const c of hist.values()) h -= (c / n) * Math.log2(c / n);
  return h;
}
