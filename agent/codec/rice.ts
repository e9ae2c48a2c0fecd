// Partitioned Rice coding of a block of residuals (the scheme FLAC uses; written from its published format
// description): the block is cut into partitions of 2^order samples, each with its own Rice parameter k, or
// "escaped" to plain fixed-width values when a partition holds outliers (or only zeros: width 0 costs nothing).
import type { BitReader, BitWriter } from "./bit-io.js";
import { FrameError } from "./errors.js";

/** Largest Rice parameter; a Rice-coded value stays below 2^28 so int32 arithmetic is exact. */
export const MAX_RICE_K = 28;
const RICE_LIMIT = 2 ** 28;
/** The parameter value of a partition of plain fixed-width zigzags. */
export const ESCAPE = 31;
const PARAM_BITS = 5;
const WIDTH_BITS = 6;
const MAX_WIDTH = 53;
const ORDER_BITS = 4;
/** Largest partition: 2^12 samples (bounds how many samples a payload byte can claim; see MIN_BITS_PER_SAMPLE). */
export const MAX_PARTITION_ORDER = 12;
/** The encoder looks at partitions of 2^6..2^12 samples. */
const MIN_SEARCHED_ORDER = 6;
/** Fewest bits a sample can cost: an escaped partition of width 0, 11 bits for 4096 samples. */
export const MIN_BITS_PER_SAMPLE = (PARAM_BITS + WIDTH_BITS) / 2 ** MAX_PARTITION_ORDER;

function bitLength(z: number): number {
  return z < 0x100000000 ? 32 - Math.clz32(z) : 32 + bitLength(Math.floor(z / 0x100000000));
}

const INVERSE_POWERS = Float64Array.from({ length: MAX_RICE_K + 2 }, (_, k) => 2 ** -k);

/** Estimated bits of m values whose zigzags sum to `sum` at the best k (FLAC's estimate), parameter included. */
function estimate(m: number, sum: number): number {
  if (sum === 0) return PARAM_BITS + WIDTH_BITS;
  const mean = (sum * Math.LN2) / m;
  let k = mean < 1 ? 0 : mean < 0x100000000 ? 31 - Math.clz32(mean) : bitLength(Math.floor(mean)) - 1;
  if (k > MAX_RICE_K) k = MAX_RICE_K;
  const a = m * (k + 1) + sum * INVERSE_POWERS[k] - (k > 0 ? m / 2 : 0);
  const b = m * (k + 2) + sum * INVERSE_POWERS[k + 1] - m / 2;
  return PARAM_BITS + (k < MAX_RICE_K && b < a ? b : a);
}

/** Estimated bits of zigzagged residuals z[0..n) in partitions of 256 samples: a quick comparison of predictors. */
export function estimateBits(z: Float64Array, n: number): number {
  let bits = ORDER_BITS;
  for (let a = 0; a < n; a += 256) {
    const b = a + 256 < n ? a + 256 : n;
    let s = 0;
    for (let i = a; i < b; i++) s += z[i];
    bits += estimate(b - a, s);
  }
  return bits;
}

/** Sum and maximum of every 2^MIN_SEARCHED_ORDER zigzags: what the partition search and writeBlock work from. */
export interface BlockStats {
  sums: Float64Array;
  maxes: Float64Array;
}

export interface BlockPlan {
  order: number;
  bits: number;
  stats: BlockStats;
}

/** The partition order with the fewest estimated bits for z[0..n), those bits, and the per-unit statistics. */
export function planBlock(z: Float64Array, n: number): BlockPlan {
  const step = 1 << MIN_SEARCHED_ORDER;
  const units = Math.ceil(n / step);
  const stats = { sums: new Float64Array(units), maxes: new Float64Array(units) };
  for (let p = 0, a = 0; a < n; p++, a += step) {
    const b = a + step < n ? a + step : n;
    let s = 0;
    let max = 0;
    for (let i = a; i < b; i++) {
      const v = z[i];
      s += v;
      max = v > max ? v : max;
    }
    stats.sums[p] = s;
    stats.maxes[p] = max;
  }
  let sums = stats.sums;
  let best = { bits: Infinity, order: MIN_SEARCHED_ORDER };
  for (let order = MIN_SEARCHED_ORDER; ; order++) {
    const size = 1 << order;
    let bits = ORDER_BITS;
    for (let p = 0; p < sums.length; p++) bits += estimate(Math.min(size, n - p * size), sums[p]);
    if (bits < best.bits) best = { bits, order };
    if (order === MAX_PARTITION_ORDER || sums.length === 1) break;
    const merged = new Float64Array(Math.ceil(sums.length / 2));
    for (let p = 0; p < sums.length; p++) merged[p >> 1] += sums[p];
    sums = merged;
  }
  return { order: best.order, bits: best.bits, stats };
}

/** Writes z[0..n) (zigzagged residuals) at partition order `order` (from planBlock), choosing each k exactly. */
export function writeBlock(w: BitWriter, z: Float64Array, n: number, order: number, stats: BlockStats): void {
  w.write(order, ORDER_BITS);
  const size = 1 << order;
  const unitsPer = size >> MIN_SEARCHED_ORDER;
  for (let a = 0, u = 0; a < n; a += size, u += unitsPer) {
    const b = a + size < n ? a + size : n;
    const m = b - a;
    let sum = 0;
    let max = 0;
    for (let j = u; j < u + unitsPer && j < stats.sums.length; j++) {
      sum += stats.sums[j];
      max = Math.max(max, stats.maxes[j]);
    }
    const width = bitLength(max);
    let bestBits = WIDTH_BITS + m * width;
    let bestK = ESCAPE;
    if (max < RICE_LIMIT) {
      // Around FLAC's estimate, the exact cost of k-1, k, k+1 in one pass.
      const mean = (sum * Math.LN2) / m;
      const k0 = Math.min(MAX_RICE_K - 1, Math.max(1, mean < 1 ? 0 : 31 - Math.clz32(mean)));
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      for (let i = a; i < b; i++) {
        const v = z[i];
        q0 += v >>> (k0 - 1);
        q1 += v >>> k0;
        q2 += v >>> (k0 + 1);
      }
      const costs = [q0 + m * k0, q1 + m * (k0 + 1), q2 + m * (k0 + 2)];
      for (let j = 0; j < 3; j++) {
        if (costs[j] < bestBits) {
          bestBits = costs[j];
          bestK = k0 - 1 + j;
        }
      }
    }
    w.write(bestK, PARAM_BITS);
    if (bestK === ESCAPE) {
      w.write(width, WIDTH_BITS);
      if (width > 0) for (let i = a; i < b; i++) w.writeWide(z[i], width);
      continue;
    }
    w.rice(z, a, b, bestK, bestBits);
  }
}

/**
 * Reads the partition layout of an n-residual block. Each partition goes to `partition(a, m, k)`: for a Rice
 * parameter k (0-28) the caller reads its m codes itself (riceReconstructKernel, prediction fused in); for
 * k = ESCAPE res[a..a+m) already holds its residuals.
 */
export function readBlock(r: BitReader, n: number, res: Float64Array, partition: (a: number, m: number, k: number) => void): void {
  const order = r.read(ORDER_BITS, "partition order");
  if (order > MAX_PARTITION_ORDER) throw new FrameError(`malformed frame: partition order ${order} exceeds ${MAX_PARTITION_ORDER}`);
  const size = 1 << order;
  for (let a = 0; a < n; a += size) {
    const m = a + size < n ? size : n - a;
    const k = r.read(PARAM_BITS, "Rice parameter");
    if (k === ESCAPE) {
      const width = r.read(WIDTH_BITS, "escape width");
      if (width > MAX_WIDTH) throw new FrameError(`malformed frame: escaped residuals of ${width} bits`);
      for (let i = a; i < a + m; i++) {
        const v = r.readWide(width, "escaped residual");
        res[i] = v % 2 === 0 ? v / 2 : -(v + 1) / 2;
      }
    } else if (k > MAX_RICE_K) {
      throw new FrameError(`malformed frame: Rice parameter ${k}`);
    }
    partition(a, m, k);
  }
}
