// Bounded-error reduction (opt-in per stream): a swinging-door filter keeps the fewest original points such that
// straight lines between kept points pass within +-bound of every dropped point, with a heartbeat (never more
// than `heartbeatMs` between kept points). Kept points are original points, so they are coded losslessly after.

/** The value a consumer reconstructs at time t between two kept points (linear interpolation). */
export function interpolate(ta: number, va: number, tb: number, vb: number, t: number): number {
  if (tb === ta) return va;
  return va + ((vb - va) * (t - ta)) / (tb - ta);
}

/**
 * Indices of the points to keep. `bounds[c]` is the tolerance of channel c in counts. Timestamps that do not
 * increase (repeats, clock steps backwards) break the line: both neighbours are kept.
 */
export function swingingDoor(t: ArrayLike<number>, channels: ArrayLike<number>[], bounds: number[], heartbeatMs: number): number[] {
  const n = t.length;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  // A hair of slack absorbs float rounding in the slopes; the final check below makes the bound strict.
  const eps = bounds.map((b) => b * (1 - 1e-9));
  const kept: number[] = [0];
  const C = channels.length;
  const lo = new Float64Array(C);
  const hi = new Float64Array(C);
  let a = 0;
  while (a < n - 1) {
    lo.fill(-Infinity);
    hi.fill(Infinity);
    let candidate = a + 1; // the next point is always a valid end of a line
    for (let i = a + 1; i < n; i++) {
      const dt = t[i] - t[a];
      if (t[i] <= t[i - 1] || dt > heartbeatMs) break;
      let fits = true;
      for (let c = 0; c < C && fits; c++) {
        const s = (channels[c][i] - channels[c][a]) / dt;
        if (s < lo[c] || s > hi[c]) fits = false;
      }
      if (fits) candidate = i;
      let open = true;
      for (let c = 0; c < C; c++) {
        const x = channels[c][i] - channels[c][a];
        lo[c] = Math.max(lo[c], (x - eps[c]) / dt);
        hi[c] = Math.min(hi[c], (x + eps[c]) / dt);
        if (lo[c] > hi[c]) open = false;
      }
      if (!open) break;
    }
    kept.push(candidate);
    a = candidate;
  }
  for (let k = kept; ; ) {
    const next = enforce(t, channels, bounds, k);
    if (next.length === k.length) return next;
    k = next;
  }
}

/** Re-checks every dropped point with the consumer's own interpolation and keeps any that would miss the bound. */
function enforce(t: ArrayLike<number>, channels: ArrayLike<number>[], bounds: number[], kept: number[]): number[] {
  const out: number[] = [kept[0]];
  for (let k = 1; k < kept.length; k++) {
    const a = kept[k - 1];
    const b = kept[k];
    for (let i = a + 1; i < b; i++) {
      for (let c = 0; c < channels.length; c++) {
        const v = interpolate(t[a], channels[c][a], t[b], channels[c][b], t[i]);
        if (Math.abs(v - channels[c][i]) > bounds[c]) {
          out.push(i);
          break;
        }
      }
    }
    out.push(b);
  }
  return out;
}
