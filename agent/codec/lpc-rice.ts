// Lossless coding of one channel of a fixed-rate block (a waveform) for speed: per segment a predictor (fixed
// order 0-2 or a quantized LPC) and its residuals as partitioned Rice codes, bit-packed. The encoder measures the
// exact cost of a few candidate predictors (asymmetric work, like flac -8); the decoder only reads Rice codes and
// runs one prediction recurrence. Frames with counts of 2^24 or more use the range coder (values.ts) instead.
import type { BitReader, BitWriter } from "./bit-io.js";
import { zigzag } from "./bytes.js";
import { FrameError } from "./errors.js";
import { reconstructKernel, zigzagResidualKernel } from "./lpc-kernels.js";
import { lpcLeastSquares } from "./lpc.js";
import { estimateBits, planBlock, readBlock, writeBlock } from "./rice.js";
import { SEGMENT, type PredictorName } from "./values.js";

/** Counts this coder takes: every product and sum of the prediction stays an exact float64 integer. */
export const RICE_VALUE_LIMIT = 2 ** 24;
export const MAX_RICE_LPC_ORDER = 32;
const KIND_BITS = 2;
const LPC_HEADER_BITS = 5 + 4 + 5;
const MAX_PRECISION = 16;
const MAX_SHIFT = 31;
const FIXED: Float64Array[] = [new Float64Array(0), Float64Array.of(1), Float64Array.of(2, -1)];
const NAMES: PredictorName[] = ["raw", "delta", "delta2", "lpc"];

/** What the encoder searches; the decoder reads whatever order (1-32) and precision (1-16) a frame says. */
export interface RiceSearch {
  /** Highest LPC order analysed. */
  maxOrder: number;
  /** LPC orders whose exact cost is measured, besides the one Levinson's error estimate prefers. */
  orders: number[];
  /** Coefficient precisions (bits) tried on the best order. */
  precisions: number[];
  /** The analysis window: at least this many samples of the segment, or the whole segment divided by `fitDivisor`. */
  fitMin: number;
  fitDivisor: number;
}

export const DEFAULT_SEARCH: RiceSearch = { maxOrder: 16, orders: [4, 8, 12, 16], precisions: [15], fitMin: 4096, fitDivisor: 4 };

interface Candidate {
  kind: number;
  coefs: Float64Array;
  shift: number;
  precision: number;
}

/** Rounds real coefficients to `precision`-bit integers over 2^shift, carrying each rounding error to the next. */
function quantize(real: Float64Array, precision: number): Candidate | undefined {
  let cmax = 0;
  for (const c of real) cmax = Math.max(cmax, Math.abs(c));
  if (!(cmax > 0)) return undefined;
  const shift = Math.max(0, Math.min(MAX_SHIFT, precision - 1 - (Math.floor(Math.log2(cmax)) + 1)));
  const hi = 2 ** (precision - 1) - 1;
  const coefs = new Float64Array(real.length);
  let carry = 0;
  for (let j = 0; j < real.length; j++) {
    const want = real[j] * 2 ** shift + carry;
    const q = Math.max(-hi - 1, Math.min(hi, Math.round(want)));
    carry = want - q;
    coefs[j] = q;
  }
  return { kind: 3, coefs, shift, precision };
}

/** Zigzagged residuals of x[start..end) into out[0..). */
function residuals(x: Float64Array, start: number, end: number, c: Candidate, out: Float64Array): void {
  const p = c.coefs.length;
  const warm = Math.min(end, p);
  for (let i = start; i < warm; i++) out[i - start] = zigzag(x[i] - (i > 0 ? x[i - 1] : 0));
  zigzagResidualKernel(p)(x, c.coefs, 2 ** -c.shift, Math.max(start, p), end, out, start);
}

/**
 * Codes x (every |x[i]| < RICE_VALUE_LIMIT). Returns the predictor chosen per segment. Predictors are compared on
 * the analysis window (a quarter of the segment) by estimated bits; only the winner runs over the whole segment.
 */
export function encodeLpcRice(w: BitWriter, x: Float64Array, search: RiceSearch = DEFAULT_SEARCH): PredictorName[] {
  const chosen: PredictorName[] = [];
  const len = Math.min(SEGMENT, x.length);
  const z = new Float64Array(len);
  for (let start = 0; start < x.length; start += SEGMENT) {
    const end = Math.min(x.length, start + SEGMENT);
    const m = end - start;
    const fitLen = Math.min(m, Math.max(search.fitMin, Math.floor(m / search.fitDivisor)));
    const fitStart = start + Math.floor((m - fitLen) / 2);
    const fitEnd = fitStart + fitLen;
    let best: Candidate = { kind: 0, coefs: FIXED[0], shift: 0, precision: 0 };
    let bestBits = Infinity;
    const consider = (c: Candidate): boolean => {
      residuals(x, fitStart, fitEnd, c, z);
      const bits = estimateBits(z, fitLen) + ((KIND_BITS + (c.kind === 3 ? LPC_HEADER_BITS + c.coefs.length * c.precision : 0)) * fitLen) / m;
      if (bits >= bestBits) return false;
      [best, bestBits] = [c, bits];
      return true;
    };
    for (let k = 0; k < FIXED.length; k++) consider({ kind: k, coefs: FIXED[k], shift: 0, precision: 0 });
    const maxOrder = Math.min(search.maxOrder, Math.floor(fitLen / 4));
    const models = maxOrder >= 1 ? lpcLeastSquares(x, fitStart, fitEnd, maxOrder) : undefined;
    if (models) {
      const top = models.coefs.length - 1;
      let guess = 1;
      let guessBits = Infinity;
      for (let p = 1; p <= top; p++) {
        const bits = 0.5 * m * Math.log2(Math.max(models.err[p] / models.err[0], 1e-12)) + p * search.precisions[0];
        if (bits < guessBits) [guess, guessBits] = [p, bits];
      }
      let bestOrder = 0;
      for (const p of new Set([guess, ...search.orders.filter((o) => o <= top)])) {
        const q = quantize(models.coefs[p], search.precisions[0]);
        if (q && consider(q)) bestOrder = p;
      }
      if (bestOrder) for (const prec of search.precisions.slice(1)) {
        const q = quantize(models.coefs[bestOrder], prec);
        if (q) consider(q);
      }
    }
    w.write(best.kind, KIND_BITS);
    if (best.kind === 3) {
      w.write(best.coefs.length - 1, 5);
      w.write(best.precision - 1, 4);
      w.write(best.shift, 5);
      for (const q of best.coefs) w.write(q, best.precision);
    }
    residuals(x, start, end, best, z);
    const plan = planBlock(z, m);
    writeBlock(w, z, m, plan.order, plan.stats);
    chosen.push(NAMES[best.kind]);
  }
  return chosen;
}

export function decodeLpcRice(r: BitReader, count: number, out: Float64Array, chosen?: PredictorName[]): void {
  const res = new Float64Array(Math.min(SEGMENT, count));
  for (let start = 0; start < count; start += SEGMENT) {
    const end = Math.min(count, start + SEGMENT);
    const kind = r.read(KIND_BITS, "predictor");
    let coefs = FIXED[kind];
    let shift = 0;
    if (kind === 3) {
      const order = r.read(5, "LPC order") + 1;
      const precision = r.read(4, "LPC precision") + 1;
      shift = r.read(5, "LPC shift");
      coefs = new Float64Array(order);
      for (let j = 0; j < order; j++) coefs[j] = r.readSigned(precision, "LPC coefficient");
    }
    chosen?.push(NAMES[kind]);
    readBlock(r, res, end - start);
    const p = coefs.length;
    const warm = Math.min(end, p);
    for (let i = start; i < warm; i++) {
      const v = res[i - start] + (i > 0 ? out[i - 1] : 0);
      if (!(Math.abs(v) < RICE_VALUE_LIMIT)) throw new FrameError("malformed frame: value out of range");
      out[i] = v;
    }
    const bad = reconstructKernel(p)(out, coefs, 2 ** -shift, Math.max(start, p), end, res, start, RICE_VALUE_LIMIT);
    if (bad >= 0) throw new FrameError("malformed frame: value out of range");
  }
}
