// Payload coding 2 of one stream of signed integer residuals (timestamps, or one channel's values).
// The bit length L of the residual (zigzagged, or its magnitude with the sign apart) is coded relative to the
// previous length P, which it usually equals or is next to: "L = P?", then the direction, then the distance in
// unary (an escape to 6 raw bits after ESCAPE steps). Most residuals take 1-3 binary decisions instead of the 6 of
// a length tree. One or two bits below the leading one are modelled per length, the rest are raw. Every decision
// uses a counting probability (range-coder.ts: countingBits), so a cold model in a 60-reading frame learns in a few
// samples. Byte-level layout: docs/wire-format.md, "payload coding 2".
import { FrameError } from "./errors.js";
import { countingBits, type RangeDecoder, type RangeEncoder } from "./range-coder.js";

export const MAX_LENGTH = 53;
/** Residuals the coder takes: zigzagged they stay below 2^53 (callers' residuals stay below 2^50). */
export const MAX_RESIDUAL = 2 ** 52 - 1;
/** Length contexts: lengths above this share the last context (merging shorter ones measured worse). */
const CONTEXTS = 24;
const ESCAPE = 8;
const ESCAPE_BITS = 6;
/** Short residuals are peaked inside their length class: model a second bit there; longer ones are near flat. */
const TWO_BITS_UP_TO = 4;

// Offsets of each decision's states in one Int32Array.
const SAME = 0;
const UP = SAME + CONTEXTS;
const FAR = UP + CONTEXTS; // [context][direction][step]
const MANT = FAR + CONTEXTS * 2 * ESCAPE; // [length][node of a 2-level tree]
const SIZE = MANT + (MAX_LENGTH + 1) * 4;

/**
 * Starting beliefs of a model: P(same length) after a zero residual and after others, P(longer | not same), P(one
 * more step | a step up / down), each held with the confidence of `confidence` observations.
 */
export interface ResidualPrior {
  sameAfterZero: number;
  same: number;
  up: number;
  furtherUp: number;
  furtherDown: number;
  confidence: number;
}

function template(prior: ResidualPrior): Int32Array {
  const s = new Int32Array(SIZE);
  const set = (from: number, to: number, p1: number) => s.fill(countingBits.state(p1, prior.confidence), from, to);
  set(SAME, SAME + 1, 1 - prior.sameAfterZero);
  set(SAME + 1, UP, 1 - prior.same);
  set(UP, FAR, prior.up); // from length 0 the only way is up: its "up" state is never used
  for (let c = 0; c < CONTEXTS; c++) {
    const far = FAR + c * 2 * ESCAPE;
    set(far, far + ESCAPE, prior.furtherDown);
    set(far + ESCAPE, far + 2 * ESCAPE, prior.furtherUp);
  }
  s.fill(countingBits.state(0.5, 0), MANT, SIZE);
  return s;
}

/** Adaptive state of one residual stream. */
export class ResidualModel {
  readonly s: Int32Array;
  prevLength = 0;
  /**
   * true: the length and mantissa are of |v| and the sign is a raw bit (values: a magnitude keeps its statistics
   * whatever its sign). false: of the zigzagged residual (timestamps: the sign of jitter follows a pattern that the
   * length contexts capture).
   */
  readonly signApart: boolean;
  constructor(template: Int32Array, signApart: boolean) {
    this.s = template.slice();
    this.signApart = signApart;
  }
  clone(): ResidualModel {
    const m = new ResidualModel(this.s, this.signApart);
    m.prevLength = this.prevLength;
    return m;
  }
}

/**
 * The starting models of payload coding 2, built once. Both expect small residuals: after a non-zero residual the
 * length more likely falls than rises, and falls further (jitter returns to the grid, a step to a plateau).
 */
export const PRIORS = {
  /** Time residuals: mostly zero; a tick of jitter is usually followed by zero again. */
  times: template({ sameAfterZero: 0.75, same: 0.3, up: 0.25, furtherUp: 0.25, furtherDown: 0.6, confidence: 2 }),
  /** Value residuals: near the previous length, P ~ 2^-distance (as coding 1's length prior), held weakly. */
  values: template({ sameAfterZero: 0.5, same: 0.4, up: 0.4, furtherUp: 0.5, furtherDown: 0.6, confidence: 2 }),
};

function bitLength(z: number): number {
  if (z < 0x100000000) return 32 - Math.clz32(z);
  return 64 - Math.clz32(Math.floor(z / 0x100000000));
}

export function encodeResidual(enc: RangeEncoder, m: ResidualModel, v: number): void {
  const s = m.s;
  const z = m.signApart ? Math.abs(v) : v >= 0 ? v * 2 : -v * 2 - 1;
  const n = bitLength(z);
  if (n > MAX_LENGTH) throw new RangeError(`residual ${v} is beyond +-2^52`);
  const p = m.prevLength;
  m.prevLength = n;
  enc.counted(s, SAME + (p < CONTEXTS ? p : CONTEXTS - 1), n === p ? 0 : 1);
  if (n !== p) encodeNewLength(enc, s, p, n);
  if (n === 0) return;
  let rest = n - 1; // bits below the leading one
  if (rest > 0) {
    const mbase = MANT + n * 4;
    rest--;
    const b1 = bitAt(z, rest);
    enc.counted(s, mbase + 1, b1);
    if (rest > 0 && n <= TWO_BITS_UP_TO) {
      rest--;
      enc.counted(s, mbase + 2 + b1, bitAt(z, rest));
    }
  }
  const sign = m.signApart ? 1 : 0;
  if (rest + sign === 0) return;
  if (rest < 25) {
    // The common case in integer arithmetic (float % and / are slow).
    enc.direct(((z & ((1 << rest) - 1)) << sign) | (v < 0 ? sign : 0), rest + sign);
  } else {
    writeRaw(enc, (z % 2 ** rest) * 2 ** sign + (v < 0 ? sign : 0), rest + sign);
  }
}

function encodeNewLength(enc: RangeEncoder, s: Int32Array, p: number, n: number): void {
  const c = p < CONTEXTS ? p : CONTEXTS - 1;
  const up = n > p ? 1 : 0;
  if (p > 0 && p < MAX_LENGTH) enc.counted(s, UP + c, up); // else only one direction is possible
  const k = up ? n - p : p - n;
  const kmax = up ? MAX_LENGTH - p : p;
  const far = FAR + (c * 2 + up) * ESCAPE - 1;
  for (let j = 1; j < kmax; j++) {
    if (j > ESCAPE) {
      enc.direct(k - j, ESCAPE_BITS);
      break;
    }
    enc.counted(s, far + j, k > j ? 1 : 0);
    if (k === j) break;
  }
}

function writeRaw(enc: RangeEncoder, raw: number, bits: number): void {
  while (bits > 26) {
    bits -= 26;
    enc.direct(Math.floor(raw / 2 ** bits) % 2 ** 26, 26);
  }
  enc.direct(raw % 2 ** bits, bits);
}

function readRaw(dec: RangeDecoder, bits: number): number {
  let v = 0;
  while (bits > 26) {
    bits -= 26;
    v = v * 2 ** 26 + dec.direct(26);
  }
  return v * 2 ** bits + dec.direct(bits);
}

/** A value without context (the first of a channel, predicted by nothing): its length in 6 raw bits, then raw. */
export function encodeWhole(enc: RangeEncoder, v: number): void {
  const a = Math.abs(v);
  const n = bitLength(a);
  enc.direct(n, ESCAPE_BITS);
  if (n > 0) writeRaw(enc, (a - 2 ** (n - 1)) * 2 + (v < 0 ? 1 : 0), n);
}

export function decodeWhole(dec: RangeDecoder): number {
  const n = dec.direct(ESCAPE_BITS);
  if (n === 0) return 0;
  if (n > MAX_LENGTH) throw new FrameError("malformed frame: value longer than 53 bits");
  const raw = readRaw(dec, n);
  const negative = raw % 2;
  const a = 2 ** (n - 1) + (raw - negative) / 2;
  return negative ? -a : a;
}

function bitAt(z: number, i: number): number {
  return z < 0x100000000 ? (z >>> i) & 1 : Math.floor(z / 2 ** i) % 2;
}

export function decodeResidual(dec: RangeDecoder, m: ResidualModel): number {
  const s = m.s;
  const p = m.prevLength;
  const n = dec.counted(s, SAME + (p < CONTEXTS ? p : CONTEXTS - 1)) === 0 ? p : decodeNewLength(dec, s, p);
  m.prevLength = n;
  if (n === 0) return 0;
  let rest = n - 1;
  let z = 1;
  if (rest > 0) {
    const mbase = MANT + n * 4;
    const b1 = dec.counted(s, mbase + 1);
    z = 2 + b1;
    rest--;
    if (rest > 0 && n <= TWO_BITS_UP_TO) {
      z = z * 2 + dec.counted(s, mbase + 2 + b1);
      rest--;
    }
  }
  if (rest >= 25) return decodeLongTail(dec, z, rest, m.signApart);
  if (m.signApart) {
    const raw = dec.direct(rest + 1);
    z = z * (1 << rest) + (raw >>> 1);
    return raw & 1 ? -z : z;
  }
  if (rest > 0) z = z * (1 << rest) + dec.direct(rest);
  return z & 1 ? -(z + 1) / 2 : z / 2;
}

/** The length after "not the same": direction, then the distance in unary (escape to raw bits after ESCAPE steps). */
function decodeNewLength(dec: RangeDecoder, s: Int32Array, p: number): number {
  const c = p < CONTEXTS ? p : CONTEXTS - 1;
  const up = p === 0 ? 1 : p === MAX_LENGTH ? 0 : dec.counted(s, UP + c);
  const kmax = up ? MAX_LENGTH - p : p;
  const far = FAR + (c * 2 + up) * ESCAPE - 1;
  let k = 1;
  while (k < kmax) {
    if (k > ESCAPE) {
      k += dec.direct(ESCAPE_BITS);
      if (k > kmax) throw new FrameError("malformed frame: residual longer than 53 bits");
      break;
    }
    if (dec.counted(s, far + k) === 0) break;
    k++;
  }
  return up ? p + k : p - k;
}

/** Residuals with 25 or more raw bits, in float arithmetic (beyond 32-bit integers). */
function decodeLongTail(dec: RangeDecoder, z: number, rest: number, signApart: boolean): number {
  if (signApart) {
    const raw = readRaw(dec, rest + 1);
    const negative = raw % 2;
    z = z * 2 ** rest + (raw - negative) / 2;
    return negative ? -z : z;
  }
  z = z * 2 ** rest + readRaw(dec, rest);
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}
