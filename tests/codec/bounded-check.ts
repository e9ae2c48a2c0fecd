// How a consumer reconstructs a bounded frame at the original reading times, and the worst error (in counts).
import { interpolate, type DecodedFrame } from "../../agent/codec/index.js";

export function worstError(times: ArrayLike<number>, values: ArrayLike<number>, d: DecodedFrame, channel = 0): number {
  const kt = d.times;
  const kv = d.channels[channel].counts;
  let increasing = true;
  for (let k = 1; k < d.count; k++) if (!(kt[k] > kt[k - 1])) increasing = false;
  let worst = 0;
  if (increasing) {
    // Kept points on a time line: each reading falls between two of them (or on one).
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (d.count === 0 || t < kt[0] || t > kt[d.count - 1]) return Infinity;
      let lo = 0;
      let hi = d.count - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (kt[mid] <= t) lo = mid;
        else hi = mid;
      }
      const v = t === kt[lo] ? kv[lo] : t === kt[hi] ? kv[hi] : interpolate(kt[lo], kv[lo], kt[hi], kv[hi], t);
      worst = Math.max(worst, Math.abs(v - values[i]));
    }
    return worst;
  }
  // Times repeat or step back: kept points are original readings, walked in order.
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    if (j < d.count && kt[j] === times[i] && kv[j] === values[i]) {
      j++;
      continue;
    }
    if (j === 0 || j >= d.count || !(kt[j - 1] < times[i] && times[i] < kt[j])) return Infinity;
    worst = Math.max(worst, Math.abs(interpolate(kt[j - 1], kv[j - 1], kt[j], kv[j], times[i]) - values[i]));
  }
  return j === d.count ? worst : Infinity;
}
