// Irregular timestamps: divided by their common quantum (readings every 59/60/61 s become 59/60/61), then each
// interval is coded as its difference from either the previous interval (delta-of-delta: drifting clocks) or a
// fixed nominal interval (jittered periodic sampling), whichever costs less. Gaps, clock steps and timestamps
// that go backwards are just large or negative residuals: the coder has no special case to get wrong.
import { decodeInt, encodeInt, IntModel } from "./int-coder.js";
import type { RangeDecoder, RangeEncoder } from "./range-coder.js";

export type TimeMode = 0 | 1 | 2; // 0: delta-of-delta, 1: delta from nominal, 2: grid (payload coding 2 only)

export interface TimePlan {
  quantum: number;
  mode: TimeMode;
  nominal: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function cost(r: number): number {
  const z = r >= 0 ? 2 * r : -2 * r - 1;
  return z === 0 ? 1 : 33 - Math.clz32(Math.min(z, 0xffffffff));
}

/** The upper median (element n >> 1 in sorted order), counting distinct intervals: they are few, a sort is slow. */
function median(d: Float64Array): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < d.length; i++) counts.set(d[i], (counts.get(d[i]) ?? 0) + 1);
  if (counts.size > d.length >> 3) return Float64Array.from(d).sort()[d.length >> 1];
  const keys = Float64Array.from(counts.keys()).sort();
  let seen = 0;
  for (const k of keys) {
    seen += counts.get(k)!;
    if (seen > d.length >> 1) return k;
  }
  return keys[keys.length - 1];
}

export function planTimes(t: ArrayLike<number>): TimePlan {
  let q = 0;
  for (let i = 1; i < t.length; i++) q = gcd(q, Math.abs(t[i] - t[i - 1]));
  if (q === 0) q = 1;
  const n = t.length - 1;
  if (n <= 0) return { quantum: q, mode: 0, nominal: 0 };
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (t[i + 1] - t[i]) / q;
  const nominal = median(d);
  let dod = 0;
  let nom = 0;
  let prev = nominal;
  for (let i = 0; i < n; i++) {
    dod += cost(d[i] - prev);
    prev = d[i];
    nom += cost(d[i] - nominal);
  }
  return { quantum: q, mode: nom < dod ? 1 : 0, nominal };
}

export function encodeTimes(enc: RangeEncoder, t: ArrayLike<number>, plan: TimePlan): void {
  const m = new IntModel();
  let prev = plan.nominal;
  for (let i = 1; i < t.length; i++) {
    const d = (t[i] - t[i - 1]) / plan.quantum;
    encodeInt(enc, m, d - prev);
    if (plan.mode === 0) prev = d;
  }
}

export function decodeTimes(dec: RangeDecoder, t0: number, count: number, plan: TimePlan, out: Float64Array): void {
  const m = new IntModel();
  let prev = plan.nominal;
  if (count > 0) out[0] = t0;
  for (let i = 1; i < count; i++) {
    const d = decodeInt(dec, m) + prev;
    if (plan.mode === 0) prev = d;
    out[i] = out[i - 1] + d * plan.quantum;
  }
}
