// Lossless coding of one channel of a fixed-rate block (a waveform) for speed: per segment a predictor (fixed
// order 0-2 or a quantized least-squares LPC) and its residuals as partitioned Rice codes, bit-packed. The encoder
// does the analysis and picks every Rice parameter by its exact cost; the decoder only reads Rice codes and runs
// one prediction recurrence. Frames with a count outside [-2^24, 2^24) use the range coder (values.ts) instead.
import type { BitReader, BitWriter } from "./bit-io.js";
import { zigzag } from "./bytes.js";
import { FrameError } from "./errors.js";
import { reconstructKernel, riceReconstructKernel, zigzagResidualKernel } from "./lpc-kernels.js";
import { lpcLeastSquares } from "./lpc.js";
import { ESCAPE, estimateBits, planBlock, readBlock, writeBlock, type BlockPlan } from "./rice.js";
import { SEGMENT, type PredictorName } from "./values.js";

/**
 * Counts this coder takes, [-2^24, 2^24): 25-bit two's complement (24-bit ADCs, signed or not), and every product and
 * sum of the prediction stays an exact float64 integer.
 */
export const RICE_VALUE_LIMIT = 2 ** 24;
const KIND_BITS = 2;
const LPC_HEADER_BITS = 5 + 4 + 5;
const MAX_SHIFT = 31;
const FIXED: Float64Array[] = [new Float64Array(0), Float64Array.of(1), Float64Array.of(2, -1)];
const FIXED_CANDIDATES: Candidate[] = FIXED.map((coefs, kind) => ({ kind, coefs, shift: 0, precision: 0 }));
const NAMES: PredictorName[] = ["raw", "delta", "delta2", "lpc"];

/** What the encoder searches; the decoder reads whatever order (1-32) and precision (1-16) a frame says. */
export interface RiceSearch {
  /** Highest LPC order analysed. */
  maxOrder: number;
  /** LPC orders also compared (by estimated bits on the analysis window), besides the one the residual energy prefers. */
  orders: number[];
  /** Coefficient precisions (bits) tried on the best order. */
  precisions: number[];
  /** The analysis window: at least this many samples of the segment, or the whole segment divided by `fitDivisor`. */
  fitMin: number;
  fitDivisor: number;
}

export const DEFAULT_SEARCH: RiceSearch = { maxOrder: 16, orders: [], precisions: [15], fitMin: 4096, fitDivisor: 16 };

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

function headerBits(c: Candidate): number {
  return KIND_BITS + (c.kind === 3 ? LPC_HEADER_BITS + c.coefs.length * c.precision : 0);
}

/**
 * Codes x (every x[i] in [-RICE_VALUE_LIMIT, RICE_VALUE_LIMIT)). Returns the predictor chosen per segment. The least-squares predictor
 * of the order its residual energy prefers runs over the whole segment; the fixed predictors (and any extra
 * candidates of `search`) are compared by their estimated bits on the analysis window only.
 */
export function encodeLpcRice(w: BitWriter, x: Float64Array, search: RiceSearch = DEFAULT_SEARCH): PredictorName[] {
  const chosen: PredictorName[] = [];
  const z = new Float64Array(Math.min(SEGMENT, x.length));
  for (let start = 0; start < x.length; start += SEGMENT) {
    const end = Math.min(x.length, start + SEGMENT);
    const m = end - start;
    const fitLen = Math.min(m, Math.max(search.fitMin, Math.floor(m / search.fitDivisor)));
    const fitStart = start + Math.floor((m - fitLen) / 2);
    const fitEnd = fitStart + fitLen;
    let best = FIXED_CANDIDATES[0];
    let bestBits = Infinity;
    let plan: BlockPlan | undefined; // of `best`, whose zigzags z then holds for the whole segment
    const onWindow = (c: Candidate): void => {
      residuals(x, fitStart, fitEnd, c, z);
      const bits = (estimateBits(z, fitLen) * m) / fitLen + headerBits(c);
      if (bits < bestBits) [best, bestBits, plan] = [c, bits, undefined];
    };
    FIXED_CANDIDATES.forEach(onWindow);
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
      const extra = [...search.orders.filter((p) => p <= top && p !== guess).map((p) => quantize(models.coefs[p], search.precisions[0])), ...search.precisions.slice(1).map((prec) => quantize(models.coefs[guess], prec))];
      for (const c of extra) if (c) onWindow(c);
      const c = quantize(models.coefs[guess], search.precisions[0]);
      if (c) {
        residuals(x, start, end, c, z);
        const full = planBlock(z, m);
        if (full.bits + headerBits(c) < bestBits) [best, bestBits, plan] = [c, full.bits + headerBits(c), full];
      }
    }
    if (!plan) {
      residuals(x, start, end, best, z);
      plan = planBlock(z, m);
    }
    w.write(best.kind, KIND_BITS);
    if (best.kind === 3) {
      w.write(best.coefs.length - 1, 5);
      w.write(best.precision - 1, 4);
      w.write(best.shift, 5);
      for (const q of best.coefs) w.write(q, best.precision);
    }
    writeBlock(w, z, m, plan.order, plan.stats);
    chosen.push(NAMES[best.kind]);
  }
  return chosen;
}

export function decodeLpcRice(r: BitReader, count: number, out: Float64Array, chosen?: PredictorName[]): void {
  const res = new Float64Array(Math.min(SEGMENT, count)); // for escaped partitions and the first samples only
  const residualsOnly = riceReconstructKernel(0);
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
    const p = coefs.length;
    const scale = 2 ** -shift;
    const fused = riceReconstructKernel(p);
    const plain = reconstructKernel(p);
    readBlock(r, end - start, res, (a, m, k) => {
      const from = start + a;
      const to = from + m;
      let bad: number;
      if (k !== ESCAPE && from >= p) {
        bad = fused(out, coefs, scale, from, to, RICE_VALUE_LIMIT, r, k);
      } else {
        // Escaped residuals, or the first samples of the channel (predicted from fewer than p samples).
        if (k !== ESCAPE) residualsOnly(res, coefs, 1, a, a + m, Infinity, r, k);
        bad = -1;
        for (let i = from; i < Math.min(to, p) && bad < 0; i++) {
          const v = res[i - start] + (i > 0 ? out[i - 1] : 0);
          if (v < RICE_VALUE_LIMIT && v >= -RICE_VALUE_LIMIT) out[i] = v;
          else bad = i;
        }
        if (bad < 0) bad = plain(out, coefs, scale, Math.max(from, p), to, res, start, RICE_VALUE_LIMIT);
      }
      r.need("a Rice-coded partition");
      if (bad >= 0) throw new FrameError(`malformed frame: sample ${bad} out of range`);
    });
  }
}
