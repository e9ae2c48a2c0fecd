// Codes signed integer residuals with the range coder, close to their entropy:
// the bit length of the zigzagged residual is coded with an adaptive bit tree whose context is the previous
// residual's bit length (it tracks local volatility: quiet stretches, bursts, jitter patterns); the first two
// bits below the leading one are coded adaptively per length (residuals are peaked, not flat); the rest are raw.
import { FrameError } from "./errors.js";
import { newProbs, PROB_ONE, type RangeDecoder, type RangeEncoder } from "./range-coder.js";

const LEN_BITS = 6; // bit lengths 0..53
const CONTEXTS = 24;
const MODELLED_MANTISSA = 2;
const SHIFT_LEN = 4;
const SHIFT_MANT = 5;

function bitLength(z: number): number {
  if (z < 0x100000000) return 32 - Math.clz32(z);
  return 64 - Math.clz32(Math.floor(z / 0x100000000));
}

/**
 * Starting probabilities of the length tree: in context c the next length is expected near c (P ~ 2^-|n-c|).
 * Short frames (60 readings) would otherwise spend much of their payload teaching cold contexts.
 */
const LEN_PRIOR: Uint16Array = (() => {
  const probs = new Uint16Array(CONTEXTS << LEN_BITS);
  const leaves = 1 << LEN_BITS;
  for (let c = 0; c < CONTEXTS; c++) {
    const q = new Float64Array(leaves);
    for (let n = 0; n < leaves; n++) q[n] = n > 53 ? 1e-9 : 2 ** -Math.abs(n - c);
    const mass = (node: number): number => {
      // node at depth d covers leaves [(node - 2^d) * 2^(6-d), ...)
      const d = 31 - Math.clz32(node);
      const width = leaves >> d;
      const first = (node - (1 << d)) * width;
      let s = 0;
      for (let n = first; n < first + width; n++) s += q[n];
      return s;
    };
    for (let node = 1; node < leaves; node++) {
      const p0 = mass(node * 2) / mass(node);
      probs[(c << LEN_BITS) + node] = Math.max(31, Math.min(PROB_ONE - 31, Math.round(p0 * PROB_ONE)));
    }
  }
  return probs;
})();

/** Adaptive state for one stream of residuals (timestamps, or one channel's values). */
export class IntModel {
  readonly len = LEN_PRIOR.slice();
  readonly mant = newProbs(64 << MODELLED_MANTISSA);
  prevLen = 0;
}

export function encodeInt(enc: RangeEncoder, m: IntModel, v: number): void {
  const z = v >= 0 ? v * 2 : -v * 2 - 1;
  const n = bitLength(z);
  const base = (m.prevLen < CONTEXTS ? m.prevLen : CONTEXTS - 1) << LEN_BITS;
  let node = 1;
  for (let i = LEN_BITS - 1; i >= 0; i--) {
    const b = (n >>> i) & 1;
    enc.bit(m.len, base + node, b, SHIFT_LEN);
    node = (node << 1) | b;
  }
  m.prevLen = n;
  if (n <= 1) return;
  let rest = n - 1; // bits below the leading one
  const modelled = rest < MODELLED_MANTISSA ? rest : MODELLED_MANTISSA;
  const mbase = n << MODELLED_MANTISSA;
  node = 1;
  for (let i = 0; i < modelled; i++) {
    rest--;
    const b = z < 0x100000000 ? (z >>> rest) & 1 : Math.floor(z / 2 ** rest) % 2;
    enc.bit(m.mant, mbase + node, b, SHIFT_MANT);
    node = (node << 1) | b;
  }
  if (rest === 0) return;
  if (rest <= 26) {
    enc.direct(z < 0x100000000 ? z & ((1 << rest) - 1) : z % 2 ** rest, rest);
  } else {
    const low = z % 2 ** rest;
    const hi = Math.floor(low / 2 ** 26);
    enc.direct(hi, rest - 26);
    enc.direct(low % 2 ** 26, 26);
  }
}

export function decodeInt(dec: RangeDecoder, m: IntModel): number {
  const base = (m.prevLen < CONTEXTS ? m.prevLen : CONTEXTS - 1) << LEN_BITS;
  let node = 1;
  for (let i = 0; i < LEN_BITS; i++) node = (node << 1) | dec.bit(m.len, base + node, SHIFT_LEN);
  const n = node - (1 << LEN_BITS);
  m.prevLen = n;
  if (n <= 1) return n === 0 ? 0 : -1;
  if (n > 53) throw new FrameError("malformed frame: residual longer than 53 bits");
  let rest = n - 1;
  const modelled = rest < MODELLED_MANTISSA ? rest : MODELLED_MANTISSA;
  const mbase = n << MODELLED_MANTISSA;
  node = 1;
  for (let i = 0; i < modelled; i++) node = (node << 1) | dec.bit(m.mant, mbase + node, SHIFT_MANT);
  rest -= modelled;
  let z = node; // leading one and the modelled bits
  if (rest > 0) {
    if (rest <= 26) z = z * 2 ** rest + dec.direct(rest);
    else {
      const hi = dec.direct(rest - 26);
      z = (z * 2 ** (rest - 26) + hi) * 2 ** 26 + dec.direct(26);
    }
  }
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}
