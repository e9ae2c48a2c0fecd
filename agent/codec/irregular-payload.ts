// The range-coded payload of an irregular frame (timestamps, then each channel's values), in either payload coding:
// 1, the integer models of int-coder.ts with choices estimated from bit lengths (format version 1 as released), or
// 2, the residual models of residual-coder.ts with every choice (time mode, predictor per segment) made by
// actually coding the candidates and keeping the cheapest: the encoder searches, the decoder decodes once.
import { FrameError } from "./errors.js";
import { RangeEncoder, type RangeDecoder } from "./range-coder.js";
import { decodeResidual, decodeWhole, encodeResidual, encodeWhole, PRIORS, ResidualModel } from "./residual-coder.js";
import { decodeTimes, encodeTimes, planTimes, type TimeMode, type TimePlan } from "./timestamps.js";
import { decodeValues, encodeValues, estimateFixedCosts, fixedPrediction, MAX_COUNT, NAMES, SEGMENT, type PredictorName } from "./values.js";

export type PayloadCoding = 1 | 2;
export const LATEST_CODING: PayloadCoding = 2;

export interface IrregularPayload {
  coding: PayloadCoding;
  plan: TimePlan;
  bytes: Uint8Array;
  /** Predictor per segment, per channel (for stats). */
  chosen: PredictorName[][];
}

const PREDICTOR_BITS = 2;
/** Predictors estimated within this factor of the cheapest are tried by coding. */
const TRIAL_MARGIN = 1.3;
/** What RangeEncoder.bits() counts for an empty stream, plus a few bits. */
const NEARLY_FREE_BITS = 40;
/**
 * Coding 2 codes every sample of every channel with a counting decision (or raw bits), and from PRIORS a counting
 * probability never comes closer to 1 than 31/32768 (range-coder.ts), so a sample costs at least 0.00136 bits: a
 * decoder refuses a frame that claims more samples per payload byte than that allows (with slack for the implied
 * trailing zeros). The encoder checks it too and falls back to coding 1 rather than write such a frame.
 */
export const MAX_SAMPLES_PER_BYTE = 5000;

function timesModel(): ResidualModel {
  return new ResidualModel(PRIORS.times, false);
}

/** floor(a / b) of integers (b > 0), exact where float division could round across an integer. */
function floorDiv(a: number, b: number): number {
  let k = Math.floor(a / b);
  if (k * b > a) k--;
  else if ((k + 1) * b <= a) k++;
  return k;
}

/**
 * Mode 2 (grid): a reading is expected on the grid point of t0 + k * nominal * quantum that follows the grid point
 * nearest to the previous reading; the residual is its offset from there. Readings of a clock that ticks on a
 * grid with jitter cost their jitter once, not twice as an interval does; a gap re-anchors after one residual.
 */
function gridReference(u: number, nominal: number): number {
  return (floorDiv(2 * u + nominal, 2 * nominal) + 1) * nominal;
}

function encodeTimes2(enc: RangeEncoder, t: ArrayLike<number>, plan: TimePlan): void {
  const m = timesModel();
  const { quantum, mode, nominal } = plan;
  let prev = nominal;
  for (let i = 1; i < t.length; i++) {
    if (mode === 2) {
      encodeResidual(enc, m, (t[i] - t[0]) / quantum - gridReference((t[i - 1] - t[0]) / quantum, nominal));
      continue;
    }
    const d = (t[i] - t[i - 1]) / quantum;
    encodeResidual(enc, m, d - prev);
    if (mode === 0) prev = d;
  }
}

function decodeTimes2(dec: RangeDecoder, t0: number, count: number, plan: TimePlan, out: Float64Array): void {
  const m = timesModel();
  const { quantum, mode, nominal } = plan;
  let prev = nominal;
  let u = 0; // (t - t0) / quantum
  if (count > 0) out[0] = t0;
  for (let i = 1; i < count; i++) {
    if (mode === 2) {
      u = decodeResidual(dec, m) + gridReference(u, nominal);
    } else {
      const d = decodeResidual(dec, m) + prev;
      if (mode === 0) prev = d;
      u += d;
    }
    out[i] = t0 + u * quantum;
  }
}

/** Codes the times in the mode that codes shortest, tried for real; returns that mode and the coder holding them. */
function encodeTimesBest(t: ArrayLike<number>): { plan: TimePlan; enc: RangeEncoder } {
  const estimate = planTimes(t);
  const modes: TimeMode[] = [estimate.mode];
  if (t.length > 2) modes.push(estimate.mode === 0 ? 1 : 0);
  if (t.length > 2 && estimate.nominal > 0) modes.push(2);
  let best: { plan: TimePlan; enc: RangeEncoder } | undefined;
  for (const mode of modes) {
    const plan = { ...estimate, mode };
    const enc = new RangeEncoder();
    encodeTimes2(enc, t, plan);
    if (!best || enc.bits() < best.enc.bits()) best = { plan, enc };
    if (best.enc.bits() < NEARLY_FREE_BITS + t.length / 64) break; // no mode can save a byte per 500 readings
  }
  return best!;
}
function encodeSegment(enc: RangeEncoder, m: ResidualModel, x: Float64Array, start: number, end: number, order: number): void {
  for (let i = start; i < end; i++) {
    if (i === 0) encodeWhole(enc, x[0]);
    else encodeResidual(enc, m, x[i] - fixedPrediction(x, i, order));
  }
}

/** Codes one channel after what `enc` holds; returns the coder that holds it (the winning trial). */
function encodeValues2(enc: RangeEncoder, x: Float64Array, chosen: PredictorName[]): RangeEncoder {
  let m = new ResidualModel(PRIORS.values, true);
  for (let start = 0; start < x.length; start += SEGMENT) {
    const end = Math.min(x.length, start + SEGMENT);
    // Only predictors whose bit-length estimate is near the best one are worth coding for real.
    const estimate = estimateFixedCosts(x, start, end);
    const floor = Math.min(...estimate);
    const candidates = [0, 1, 2].filter((order) => estimate[order] <= TRIAL_MARGIN * floor);
    let best: { order: number; enc: RangeEncoder; m: ResidualModel } | undefined;
    for (const order of candidates) {
      const trial = candidates.length > 1 ? { order, enc: enc.clone(), m: m.clone() } : { order, enc, m };
      trial.enc.direct(order, PREDICTOR_BITS);
      encodeSegment(trial.enc, trial.m, x, start, end, order);
      if (!best || trial.enc.bits() < best.enc.bits()) best = trial;
    }
    ({ enc, m } = best!);
    chosen.push(NAMES[best!.order]);
  }
  return enc;
}
function decodeValues2(dec: RangeDecoder, count: number, out: Float64Array, chosen?: PredictorName[]): void {
  const m = new ResidualModel(PRIORS.values, true);
  for (let start = 0; start < count; start += SEGMENT) {
    const end = Math.min(count, start + SEGMENT);
    const order = dec.direct(PREDICTOR_BITS);
    if (order > 2) throw new FrameError(`malformed frame: unknown predictor ${order}`);
    chosen?.push(NAMES[order]);
    for (let i = start; i < end; i++) {
      const v = i === 0 ? decodeWhole(dec) : decodeResidual(dec, m) + fixedPrediction(out, i, order);
      if (!(Math.abs(v) < MAX_COUNT)) throw new FrameError("malformed frame: value out of range");
      out[i] = v;
    }
  }
}

export function encodeIrregularPayload(times: ArrayLike<number>, values: ArrayLike<number>[], coding: PayloadCoding): IrregularPayload {
  if (coding === 1) {
    const enc = new RangeEncoder();
    const plan = planTimes(times);
    encodeTimes(enc, times, plan);
    const chosen = values.map((v) => encodeValues(enc, Float64Array.from(v), false));
    return { coding, plan, bytes: enc.finish(), chosen };
  }
  let { plan, enc } = encodeTimesBest(times);
  const chosen = values.map((v) => {
    const c: PredictorName[] = [];
    enc = encodeValues2(enc, Float64Array.from(v), c);
    return c;
  });
  const bytes = enc.finish();
  if (times.length * values.length > MAX_SAMPLES_PER_BYTE * (bytes.length + 8)) return encodeIrregularPayload(times, values, 1);
  return { coding, plan, bytes, chosen };
}
/** Decodes the times into `times` and each channel's counts into `counts[c]`; returns the predictors per channel. */
export function decodeIrregularPayload(dec: RangeDecoder, coding: PayloadCoding, t0: number, plan: TimePlan, times: Float64Array, counts: Float64Array[]): PredictorName[][] {
  const n = times.length;
  if (plan.mode === 2 && plan.nominal < 1) throw new FrameError(`malformed frame: grid time mode with nominal interval ${plan.nominal}`);
  if (coding === 1) decodeTimes(dec, t0, n, plan, times);
  else decodeTimes2(dec, t0, n, plan, times);
  return counts.map((out) => {
    const chosen: PredictorName[] = [];
    if (coding === 1) decodeValues(dec, n, out, chosen);
    else decodeValues2(dec, n, out, chosen);
    return chosen;
  });
}
