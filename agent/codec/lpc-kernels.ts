// The inner loops of linear prediction, generated once per order with the coefficients in locals and the sum
// unrolled: V8 then keeps everything in registers (measured 11 ns/sample at order 16 against 45 for a loop over a
// coefficient array). Only the order, an integer, goes into the generated source; coefficients are arguments.
// Arithmetic is float64 throughout and exact: with |x| <= 2^24, |c| <= 2^15 and order <= 32 every integer product
// c*x and partial sum is below 2^53, so scaling the coefficients by scale = 2^-shift first changes only exponents
// (each product is c*x*2^-shift exactly, each partial sum S*2^-shift is representable, so each addition is exact)
// and Math.floor of the sum is the exact floor division. Prescaling takes a multiplication off the decoder's
// recurrence.
import { BitReader } from "./bit-io.js";

/**
 * out[i - o] = zigzag(x[i] - floor(sum_j c[j] * x[i-1-j] * scale)) for i in [from, to): the encoder only ever needs
 * the zigzag (0, -1, 1, -2 ... -> 0, 1, 2, 3 ...), computed branch-free as |2r + 0.5| - 0.5 (exact below 2^51).
 */
export type ZigzagResidualKernel = (x: Float64Array, c: Float64Array, scale: number, from: number, to: number, out: Float64Array, o: number) => void;
/**
 * x[i] = res[i - o] + floor(sum_j c[j] * x[i-1-j] * scale) for i in [from, to); stops at the first value with
 * x[i] outside [-limit, limit) and returns its index (-1 when all are in range).
 */
export type ReconstructKernel = (x: Float64Array, c: Float64Array, scale: number, from: number, to: number, res: Float64Array, o: number, limit: number) => number;

/**
 * The decoder's loop: reads count Rice codes (parameter k) from `r` and adds each residual to its prediction,
 * x[i] = unzigzag(code) + floor(sum_j c[j] * x[i-1-j] * scale) for i in [from, to), from >= order. Reading and
 * predicting in one loop lets the CPU decode bits while the recurrence waits on its previous sample. Same return as
 * ReconstructKernel; the caller checks r.need() afterwards (codes past the end of the payload read as zeros).
 */
export type RiceReconstructKernel = (x: Float64Array, c: Float64Array, scale: number, from: number, to: number, limit: number, r: BitReader, k: number) => number;

const residuals: ZigzagResidualKernel[] = [];
const reconstructions: ReconstructKernel[] = [];
const riceReconstructions: RiceReconstructKernel[] = [];

/** The sum oldest sample first: in the decoder's recurrence x[i-1] then enters last, off the critical path. */
function parts(order: number): { locals: string; sum: string } {
  const j = Array.from({ length: order }, (_, k) => order - 1 - k);
  return {
    locals: order ? `const ${j.map((k) => `c${k} = c[${k}] * scale`).join(", ")};` : "",
    sum: order ? j.map((k) => `c${k} * x[i - ${k + 1}]`).join(" + ") : "0",
  };
}

export function zigzagResidualKernel(order: number): ZigzagResidualKernel {
  let f = residuals[order];
  if (!f) {
    const { locals, sum } = parts(order);
    f = new Function("x", "c", "scale", "from", "to", "out", "o", `"use strict"; ${locals} for (let i = from; i < to; i++) { const r = x[i] - Math.floor(${sum}); out[i - o] = Math.abs(2 * r + 0.5) - 0.5; }`) as ZigzagResidualKernel;
    residuals[order] = f;
  }
  return f;
}

export function reconstructKernel(order: number): ReconstructKernel {
  let f = reconstructions[order];
  if (!f) {
    const { locals, sum } = parts(order);
    f = new Function(
      "x",
      "c",
      "scale",
      "from",
      "to",
      "res",
      "o",
      "limit",
      `"use strict"; ${locals} for (let i = from; i < to; i++) { const v = res[i - o] + Math.floor(${sum}); if (!(v < limit && v >= -limit)) return i; x[i] = v; } return -1;`,
    ) as ReconstructKernel;
    reconstructions[order] = f;
  }
  return f;
}

/** Rice decoding state in locals: a 32-bit window refilled 16 bits at a time, the unary part by one clz32. */
const RICE_LOOP = `
  const qmax = (2 ** 28 - 1) >>> k;
  const top = 1 << k;
  const buf = r.buf;
  const fastEnd = r.end - 1;
  let win = r.win, avail = r.avail, pos = r.pos;
  for (let i = from; i < to; i++) {
    if (avail <= 16 && pos < fastEnd) {
      win |= ((buf[pos] << 8) | buf[pos + 1]) << (16 - avail);
      pos += 2;
      avail += 16;
    }
    const lz = Math.clz32(win);
    const len = lz + 1 + k;
    let z;
    if (len <= avail && lz <= qmax) {
      const w = win << lz;
      z = (lz << k) | ((w >>> (31 - k)) ^ top);
      win = (w << k) << 1;
      avail -= len;
    } else {
      r.win = win; r.avail = avail; r.pos = pos;
      z = r.riceCode(k, qmax);
      win = r.win; avail = r.avail; pos = r.pos;
    }
    const v = ((z >>> 1) ^ -(z & 1)) + PREDICTION;
    if (!(v < limit && v >= -limit)) { r.win = win; r.avail = avail; r.pos = pos; return i; }
    x[i] = v;
  }
  r.win = win; r.avail = avail; r.pos = pos;
  return -1;`;

export function riceReconstructKernel(order: number): RiceReconstructKernel {
  let f = riceReconstructions[order];
  if (!f) {
    // The last `order` samples live in locals x1..xp (x1 newest), shifted along per sample: the recurrence then
    // never waits on a store and a reload (measured 17 -> 12 ns/sample at order 16).
    const { locals } = parts(order);
    const j = Array.from({ length: order }, (_, k) => order - 1 - k);
    const regs = order ? `let ${j.map((k) => `x${k + 1} = x[from - ${k + 1}]`).join(", ")};` : "";
    const sum = j.map((k) => `c${k} * x${k + 1}`).join(" + ");
    const shift = order ? `${j.slice(0, -1).map((k) => `x${k + 1} = x${k};`).join(" ")} x1 = v;` : "";
    const body = RICE_LOOP.replace("PREDICTION", order ? `Math.floor(${sum})` : "0").replace("x[i] = v;", `x[i] = v; ${shift}`);
    f = new Function("x", "c", "scale", "from", "to", "limit", "r", "k", `"use strict"; ${locals} ${regs} ${body}`) as RiceReconstructKernel;
    exercise(f, order);
    riceReconstructions[order] = f;
  }
  return f;
}

/**
 * Runs a new decoding loop once through every path (a short code, a unary run longer than the window, the end of
 * the payload). V8 optimizes a hot loop with the type feedback it has seen; a path first taken afterwards (the
 * last codes of every frame) would throw the optimized code away, measured as 9 -> 24 ns per sample.
 */
function exercise(f: RiceReconstructKernel, order: number): void {
  // k = 0: "1" (0), 38 zeros and "1" (38), then six "1" (0 each). V8 records feedback only from a function's 9th
  // call on (lazy feedback allocation), so a few more than that.
  const bytes = Uint8Array.of(0x80, 0x00, 0x00, 0x00, 0x01, 0xfc);
  const [x, c] = [new Float64Array(order + 8), new Float64Array(order)];
  for (let i = 0; i < 12; i++) f(x, c, 1, order, order + 8, 2 ** 24, new BitReader(bytes, 0, bytes.length), 0);
}
