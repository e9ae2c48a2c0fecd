// Cheapest bounded-error line on a time grid: instead of growing each line as far as it goes (greedy), a shortest
// path over every (grid time, integer value) vertex finds the line with the fewest estimated bits overall. A
// vertex sits at t0 + m * G (GridPlan) with an integer value near the readings there; an edge is a straight line
// that passes within the bound of every reading it spans. Vertices are visited in time order (edges only go
// forward), so one pass settles every vertex.
import { interpolate, readingsAt, type GridPlan, type KeptPoints } from "./bounded.js";

/** Largest number of candidate values per vertex (2 * bound + 1): beyond it the greedy filter is used. */
const MAX_VALUES = 41;
/** Largest search table (grid times x candidate values: 12 bytes each); larger batches use the greedy filter. */
const MAX_STATES = 1_000_000;
/** Most edges tried (states x lengths x values), about a second here: beyond it the greedy filter is used. */
const MAX_EDGES = 300_000_000;
/** Distance (counts) from the cone's edge within which float rounding could matter. */
const SLACK = 1e-6;

/** Estimated bits of one edge: its length in grid intervals, and its change of value in counts. */
export interface EdgeCost {
  steps: (steps: number) => number;
  delta: (delta: number) => number;
}

/** Deltas up to this size get their cost from a table (the search asks for each one many times). */
const DELTA_TABLE = 1024;

/** Bits of a zigzagged residual under an Elias-gamma-like code: a rough prior before anything is measured. */
export function gammaBits(r: number): number {
  const z = r >= 0 ? 2 * r : -2 * r - 1;
  return 2 * Math.floor(Math.log2(z + 1)) + 1;
}

/**
 * The vertices of the cheapest line under `cost`, or undefined where the search does not apply (too many
 * candidate values or states): the caller then falls back. Across a gap between readings longer than the
 * heartbeat the line jumps from a vertex at or after the reading before the gap to the last grid time at or before
 * the reading after it: longer than the heartbeat, but spanning no reading.
 */
export function cheapestGridLine(readingTimes: ArrayLike<number>, readings: ArrayLike<number>, bound: number, plan: GridPlan, cost: EdgeCost): KeptPoints | undefined {
  const t = Float64Array.from(readingTimes); // one array type in the hot loop below
  const x = Float64Array.from(readings);
  const n = t.length;
  const { G, maxSteps } = plan;
  const t0 = t[0];
  // Widened by a hair so a value exactly at the bound survives float rounding; `fits` then makes the bound strict.
  const e = bound * (1 + 1e-9);
  const W = Math.floor(2 * e) + 1; // candidate values within the bound of one value
  const M = Math.ceil((t[n - 1] - t0) / G);
  if (W > MAX_VALUES || (M + 1) * W > MAX_STATES) return undefined;

  // next[m]: the first reading after grid time m. Candidate values at m: low[m] ... high[m], the integers within
  // the bound of the readings' polyline there or of the readings either side (a turn between two grid times
  // needs a vertex beyond the polyline), at most W beyond the polyline's own band; where m is where a line lands
  // across a gap, those within the bound of the reading after it. Vertex (m, v) is state first[m] + v - low[m].
  const next = new Int32Array(M + 1);
  const low = new Float64Array(M + 1);
  const high = new Float64Array(M + 1);
  for (let m = 0, j = 0; m <= M; m++) {
    while (j < n && t[j] <= t0 + m * G) j++;
    next[m] = j;
    const centre = readingsAt(t, x, t0 + m * G, j);
    const before = j > 0 ? x[j - 1] : centre;
    const after = j < n ? x[j] : centre;
    low[m] = Math.ceil(Math.max(centre - e - W, Math.min(centre, before, after) - e));
    high[m] = Math.floor(Math.min(centre + e + W, Math.max(centre, before, after) + e));
  }
  const landing = new Int32Array(n).fill(-1); // reading after a gap -> the grid time a line jumps to
  for (let p = 1; p < n; p++) {
    if (t[p] - t[p - 1] <= maxSteps * G) continue;
    const m = Math.floor((t[p] - t0) / G);
    if (t0 + m * G <= t[p - 1]) continue; // no grid time inside the gap: ordinary lines cross it
    landing[p] = m;
    low[m] = Math.ceil(x[p] - e);
    high[m] = Math.floor(x[p] + e);
  }
  const first = new Int32Array(M + 2);
  let edges = 0;
  for (let m = 0; m <= M; m++) {
    const width = Math.max(0, high[m] - low[m] + 1);
    first[m + 1] = first[m] + width;
    edges += width * maxSteps * width;
  }
  const states = first[M + 1];
  if (states > MAX_STATES || edges > MAX_EDGES) return undefined;
  const dist = new Float64Array(states).fill(Infinity);
  const from = new Int32Array(states).fill(-1);
  if (!(x[0] >= low[0] && x[0] <= high[0])) return undefined;
  const start = x[0] - low[0];
  dist[start] = 0; // the first vertex is the first reading

  const stepBits = Float64Array.from({ length: maxSteps + 1 }, (_, s) => cost.steps(s));
  const deltaTable = Float64Array.from({ length: 2 * DELTA_TABLE + 1 }, (_, i) => cost.delta(i - DELTA_TABLE));
  const deltaBits = (d: number) => (d >= -DELTA_TABLE && d <= DELTA_TABLE ? deltaTable[d + DELTA_TABLE] : cost.delta(d));

  const consumer = interpolate; // bound once: an imported binding may be a getter per call
  const fits = (ga: number, va: number, gb: number, vb: number, p: number, q: number): boolean => {
    for (let j = p; j < q; j++) if (Math.abs(consumer(ga, va, gb, vb, t[j]) - x[j]) > bound) return false;
    return true;
  };
  const relax = (at: number, d: number, src: number) => {
    if (d < dist[at]) {
      dist[at] = d;
      from[at] = src;
    }
  };

  for (let m = 0; m < M; m++) {
    const ga = t0 + m * G;
    const p = next[m];
    for (let here = first[m]; here < first[m + 1]; here++) {
      const bits = dist[here];
      if (bits === Infinity) continue;
      const va = low[m] + here - first[m];
      let lo = -Infinity; // slopes of the lines from (ga, va) that pass every reading so far
      let hi = Infinity;
      let j = p;
      for (let s = 1; s <= maxSteps && m + s <= M; s++) {
        const mb = m + s;
        const gb = ga + s * G;
        for (; j < next[mb]; j++) {
          const dt = t[j] - ga;
          lo = Math.max(lo, (x[j] - e - va) / dt);
          hi = Math.min(hi, (x[j] + e - va) / dt);
        }
        if (lo > hi) break;
        if (j === p) continue; // nothing spanned yet: a vertex here would only cost bits
        const loV = va + lo * s * G;
        const hiV = va + hi * s * G;
        let a = Math.max(low[mb], Math.ceil(loV));
        let b = Math.min(high[mb], Math.floor(hiV));
        // Only an end value at the very edge of the cone can be off by float rounding: the consumer's own
        // interpolation decides those.
        while (a <= b && a - loV < SLACK && !fits(ga, va, gb, a, p, j)) a++;
        while (b >= a && hiV - b < SLACK && !fits(ga, va, gb, b, p, j)) b--;
        const base = bits + stepBits[s];
        const offset = first[mb] - low[mb];
        // deltaBits and relax written out: through the closures this loop, the search's hottest, ran 17 % slower.
        for (let vb = a; vb <= b; vb++) {
          const d = vb - va;
          const bitsThere = base + (d >= -DELTA_TABLE && d <= DELTA_TABLE ? deltaTable[d + DELTA_TABLE] : cost.delta(d));
          if (bitsThere < dist[offset + vb]) {
            dist[offset + vb] = bitsThere;
            from[offset + vb] = here;
          }
        }
      }
      const mb = p < n ? landing[p] : -1;
      if (mb > m) {
        // Across the gap: any value near the reading after it (and within the bound of it, if it is on the grid).
        const gb = t0 + mb * G;
        const base = bits + cost.steps(mb - m);
        for (let vb = low[mb]; vb <= high[mb]; vb++) {
          if (fits(ga, va, gb, vb, p, next[mb])) relax(first[mb] + vb - low[mb], base + deltaBits(vb - va), here);
        }
      }
    }
  }

  let end = -1;
  for (let at = first[M]; at < first[M + 1]; at++) if (dist[at] < (end < 0 ? Infinity : dist[end])) end = at;
  if (end < 0) return undefined;
  const path: number[] = [];
  for (let at = end; at >= 0; at = from[at]) path.push(at);
  path.reverse();
  if (path[0] !== start) return undefined;
  const times: number[] = [];
  const values: number[] = [];
  for (let k = 0, m = 0; k < path.length; k++) {
    while (first[m + 1] <= path[k]) m++;
    times.push(t0 + m * G);
    values.push(low[m] + path[k] - first[m]);
  }
  return { times, values: [values] };
}

/**
 * The cheapest line under a model of the timestamp coder's "distance from the usual interval" mode: first with
 * the heartbeat as the usual interval (long lines), then with the median interval that line actually used, keeping
 * whichever is cheaper under its own median. One round settles it on the occupancy data.
 */
export function cheapestLine(t: ArrayLike<number>, x: ArrayLike<number>, bound: number, plan: GridPlan): KeptPoints | undefined {
  let best: KeptPoints | undefined;
  let bestBits = Infinity;
  let nominal = plan.maxSteps;
  for (let round = 0; round < 2; round++) {
    const line = cheapestGridLine(t, x, bound, plan, { steps: (s) => gammaBits(s - nominal), delta: gammaBits });
    if (!line) return best;
    const { times, values } = line;
    const steps = times.slice(1).map((tb, i) => Math.round((tb - times[i]) / plan.G));
    const median = Float64Array.from(steps).sort()[steps.length >> 1] ?? plan.maxSteps;
    let bits = 0;
    for (let i = 0; i < steps.length; i++) bits += gammaBits(steps[i] - median) + gammaBits(values[0][i + 1] - values[0][i]);
    if (bits < bestBits) [best, bestBits] = [line, bits];
    if (median === nominal) break;
    nominal = median;
  }
  return best;
}
