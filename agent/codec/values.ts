// Lossless coding of one channel of integer counts: per segment, the predictor that costs least (order 0, 1, 2
// or a quantized LPC) and its residuals through the adaptive integer coder. Prediction runs across segment
// boundaries, so a new segment never pays a warm-up.
import { FrameError } from "./errors.js";
import { decodeInt, encodeInt, IntModel } from "./int-coder.js";
import { fitLpc, MAX_LPC_ORDER, type QuantizedLpc } from "./lpc.js";
import type { RangeDecoder, RangeEncoder } from "./range-coder.js";

/** Samples per predictor choice: long windows estimate LPC better and amortize its coefficients (measured on CWRU). */
export const SEGMENT = 65536;
/** LPC only where its integer arithmetic stays exact in float64: |count| < 2^24, coefs < 2^15, order <= 32. */
const LPC_LIMIT = 2 ** 24;
/** Counts must stay well inside float64's exact integers so second differences and zigzag are exact too. */
export const MAX_COUNT = 2 ** 46;

export type PredictorName = "raw" | "delta" | "delta2" | "lpc";
export const NAMES: PredictorName[] = ["raw", "delta", "delta2", "lpc"];

export function fixedPrediction(x: Float64Array, i: number, order: number): number {
  if (order === 0 || i === 0) return 0;
  if (order === 1 || i === 1) return x[i - 1];
  return 2 * x[i - 1] - x[i - 2];
}

/** Residuals (encode) or values (decode) of an LPC over [start, end), with the exact integer arithmetic of both. */
function lpcPrediction(x: Float64Array, i: number, c: Float64Array, div: number): number {
  const p = c.length;
  if (i < p) return i === 0 ? 0 : x[i - 1];
  let s = 0;
  for (let j = 0, k = i - 1; j < p; j++, k--) s += c[j] * x[k];
  return Math.floor(s / div);
}

function costBits(z: number): number {
  return 33 - Math.clz32(z < 0x100000000 ? z : 0xffffffff);
}

/** Estimated bits of the residuals of predictors of order 0, 1 and 2 over [start, end): their bit lengths. */
export function estimateFixedCosts(x: Float64Array, start: number, end: number): number[] {
  const cost = [0, 0, 0];
  for (let i = start; i < end; i++) {
    const a = x[i];
    const b = i > 0 ? x[i - 1] : 0;
    const r2 = i > 1 ? a - 2 * b + x[i - 2] : a - b;
    const r1 = a - b;
    cost[0] += costBits(a >= 0 ? a * 2 : -a * 2 - 1);
    cost[1] += costBits(r1 >= 0 ? r1 * 2 : -r1 * 2 - 1);
    cost[2] += costBits(r2 >= 0 ? r2 * 2 : -r2 * 2 - 1);
  }
  return cost;
}

/** Codes `x` (integer counts). Returns the predictor chosen per segment, for stats. */
export function encodeValues(enc: RangeEncoder, x: Float64Array, allowLpc: boolean): PredictorName[] {
  const values = new IntModel();
  const params = new IntModel();
  const chosen: PredictorName[] = [];
  let lpcOk = allowLpc;
  if (lpcOk) for (let i = 0; i < x.length; i++) if (Math.abs(x[i]) >= LPC_LIMIT) lpcOk = false;
  const res = new Float64Array(Math.min(SEGMENT, x.length));
  for (let start = 0; start < x.length; start += SEGMENT) {
    const end = Math.min(x.length, start + SEGMENT);
    let bestKind = 0;
    let bestCost = Infinity;
    const cost = estimateFixedCosts(x, start, end);
    for (let order = 0; order <= 2; order++) {
      if (cost[order] < bestCost) {
        bestCost = cost[order];
        bestKind = order;
      }
    }
    let lpc: QuantizedLpc | undefined;
    if (lpcOk && end - start >= 8 * 8) {
      lpc = fitLpc(x, start, end, MAX_LPC_ORDER);
      if (lpc) {
        let c = lpc.order * 16;
        const coefs = Float64Array.from(lpc.coefs);
        const div = 2 ** lpc.shift;
        for (let i = start; i < end; i++) {
          const r = x[i] - lpcPrediction(x, i, coefs, div);
          res[i - start] = r;
          c += costBits(r >= 0 ? r * 2 : -r * 2 - 1);
        }
        if (c < bestCost) {
          bestCost = c;
          bestKind = 3;
        }
      }
    }
    encodeInt(enc, params, bestKind);
    chosen.push(NAMES[bestKind]);
    if (bestKind === 3 && lpc) {
      encodeInt(enc, params, lpc.order);
      encodeInt(enc, params, lpc.shift);
      for (const c of lpc.coefs) encodeInt(enc, params, c);
      for (let i = start; i < end; i++) encodeInt(enc, values, res[i - start]);
    } else {
      for (let i = start; i < end; i++) encodeInt(enc, values, x[i] - fixedPrediction(x, i, bestKind));
    }
  }
  return chosen;
}

export function decodeValues(dec: RangeDecoder, count: number, out: Float64Array, chosen?: PredictorName[]): void {
  const values = new IntModel();
  const params = new IntModel();
  for (let start = 0; start < count; start += SEGMENT) {
    const end = Math.min(count, start + SEGMENT);
    const kind = decodeInt(dec, params);
    if (kind < 0 || kind > 3) throw new FrameError(`malformed frame: unknown predictor ${kind}`);
    chosen?.push(NAMES[kind]);
    if (kind === 3) {
      const order = decodeInt(dec, params);
      const shift = decodeInt(dec, params);
      if (order < 1 || order > MAX_LPC_ORDER || shift < 0 || shift > 24) throw new FrameError(`malformed frame: LPC order ${order} shift ${shift}`);
      const coefs: number[] = [];
      for (let j = 0; j < order; j++) {
        const c = decodeInt(dec, params);
        if (Math.abs(c) > 2 ** 15) throw new FrameError("malformed frame: LPC coefficient out of range");
        coefs.push(c);
      }
      const c = Float64Array.from(coefs);
      const div = 2 ** shift;
      for (let i = start; i < end; i++) {
        const v = decodeInt(dec, values) + lpcPrediction(out, i, c, div);
        if (!(Math.abs(v) < LPC_LIMIT)) throw new FrameError("malformed frame: LPC value out of range");
        out[i] = v;
      }
    } else {
      for (let i = start; i < end; i++) {
        const v = decodeInt(dec, values) + fixedPrediction(out, i, kind);
        if (!(Math.abs(v) < MAX_COUNT)) throw new FrameError("malformed frame: value out of range");
        out[i] = v;
      }
    }
  }
}
