// Bounded-error reduction (opt-in per stream): the consumer's interpolation, the swinging-door filter on original
// points (straight lines between kept points pass within +-bound of every dropped point, never more than
// `heartbeatMs` between kept points), and the vertex grid with its greedy line. The kept points are then coded
// losslessly. Which reduction a frame gets: bounded-reduce.ts; the cheapest grid line: bounded-path.ts.

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

/**
 * The readings' own polyline at grid time g (`next`: the first reading after g): a grid vertex takes a value
 * within the bound of it, so vertices never drift off the data, even where readings fall between grid times.
 */
export function readingsAt(t: ArrayLike<number>, x: ArrayLike<number>, g: number, next: number): number {
  if (next === 0) return x[0];
  if (next === t.length || t[next - 1] === g) return x[next - 1];
  return interpolate(t[next - 1], x[next - 1], t[next], x[next], g);
}

export interface KeptPoints {
  times: number[];
  values: number[][];
}

/**
 * Most grid intervals in one line. Readings much denser than the heartbeat (every second, heartbeat 15 min) get a
 * grid of several reading intervals instead: the search time grows with the square of this, and a slow line
 * loses next to nothing by bending only every few readings.
 */
const MAX_GRID_STEPS = 64;

export interface GridPlan {
  /** Grid interval (ms): the median interval between readings, or a multiple of it (MAX_GRID_STEPS). */
  G: number;
  /** Longest line in grid intervals (the heartbeat). */
  maxSteps: number;
}

/** The vertex grid for readings at strictly increasing times, or undefined where no grid applies. */
export function planGrid(t: ArrayLike<number>, heartbeatMs: number): GridPlan | undefined {
  const n = t.length;
  if (n < 3) return undefined;
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) {
    if (!(t[i] > t[i - 1])) return undefined;
    gaps[i - 1] = t[i] - t[i - 1];
  }
  gaps.sort();
  const median = gaps[(n - 1) >> 1];
  const G = median * Math.max(1, Math.ceil(heartbeatMs / median / MAX_GRID_STEPS));
  const maxSteps = Math.floor(heartbeatMs / G);
  return maxSteps >= 1 ? { G, maxSteps } : undefined;
}

/**
 * Greedy grid variant for readings at strictly increasing times: kept points sit on the grid (t0 + m * G) and take
 * any integer value that keeps every reading in range. Kept times then code as small multiples of G instead of
 * jittered milliseconds, and free values let lines run longer than lines through original points. Returns
 * undefined where it cannot apply (a gap longer than the heartbeat).
 */
export function gridDoor(t: ArrayLike<number>, channels: ArrayLike<number>[], bounds: number[], plan: GridPlan): KeptPoints | undefined {
  const n = t.length;
  const { G, maxSteps } = plan;
  const C = channels.length;

  /** The longest line from the anchor that some integer end value keeps within bounds, and those end values. */
  const longest = (ga: number, va: number[], p: number): { g: number; lo: number[]; hi: number[]; next: number } | undefined => {
    let best: { g: number; lo: number[]; hi: number[]; next: number } | undefined;
    for (let step = 1; step <= maxSteps; step++) {
      const gb = ga + step * G;
      let q = p;
      while (q < n && t[q] <= gb) q++;
      if (q === p) continue; // nothing to cover yet: a longer line is free
      const los: number[] = [];
      const his: number[] = [];
      for (let c = 0; c < C; c++) {
        let lo = -Infinity;
        let hi = Infinity;
        const x = channels[c];
        // Widened by a hair, not narrowed: an end value exactly at the bound is allowed, and the integer rounding
        // below would otherwise lose a whole count of freedom. `fits` then makes the bound strict.
        const e = bounds[c] * (1 + 1e-9);
        for (let j = p; j < q; j++) {
          const k = (gb - ga) / (t[j] - ga);
          lo = Math.max(lo, va[c] + (x[j] - e - va[c]) * k);
          hi = Math.min(hi, va[c] + (x[j] + e - va[c]) * k);
        }
        const near = readingsAt(t, x, gb, q);
        let a = Math.ceil(Math.max(lo, near - e));
        let b = Math.floor(Math.min(hi, near + e));
        // The consumer's own interpolation has the last word (float rounding at the edges).
        const fits = (v: number) => {
          for (let j = p; j < q; j++) if (Math.abs(interpolate(ga, va[c], gb, v, t[j]) - x[j]) > bounds[c]) return false;
          return true;
        };
        while (a <= b && !fits(a)) a++;
        while (b >= a && !fits(b)) b--;
        if (a > b) return best;
        los.push(a);
        his.push(b);
      }
      best = { g: gb, lo: los, hi: his, next: q };
      if (q === n) break;
    }
    return best;
  };

  const times = [t[0]];
  const values = Array.from({ length: C }, (_, c) => [channels[c][0]]);
  let ga = t[0];
  let va = values.map((v) => v[0]);
  let p = 1; // first reading after the anchor
  while (p < n) {
    const seg = longest(ga, va, p);
    if (!seg) return undefined;
    // End values to try: the one nearest the previous kept value (cheapest to code), the last reading, the middle.
    const clamp = (v: number, c: number) => Math.min(seg.hi[c], Math.max(seg.lo[c], v));
    const candidates = [va.map((v, c) => clamp(v, c)), va.map((_, c) => clamp(channels[c][seg.next - 1], c)), va.map((_, c) => clamp(Math.round((seg.lo[c] + seg.hi[c]) / 2), c))];
    let v = candidates[0];
    if (seg.next < n) {
      // One step of lookahead: the end value that lets the next line run furthest.
      let reach = -1;
      for (const cand of candidates) {
        const r = longest(seg.g, cand, seg.next)?.next ?? -1;
        if (r > reach) [reach, v] = [r, cand];
      }
    }
    times.push(seg.g);
    v.forEach((x, c) => values[c].push(x));
    ga = seg.g;
    va = v;
    p = seg.next;
  }
  return { times, values };
}
