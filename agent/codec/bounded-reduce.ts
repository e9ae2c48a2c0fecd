// Which bounded-error reduction a frame gets: the cheapest grid line (one channel), else the greedy grid line
// (several channels, or a search too large), else the swinging door on original readings (times that repeat or
// step back; for the greedy line also gaps longer than the heartbeat). Whatever is chosen is re-checked reading by reading with the
// consumer's own interpolation before it is used: the bound is a promise, not an estimate.
import { gridDoor, interpolate, planGrid, swingingDoor, type KeptPoints } from "./bounded.js";
import { cheapestLine } from "./bounded-path.js";

export function reduceBounded(t: ArrayLike<number>, channels: ArrayLike<number>[], bounds: number[], heartbeatMs: number): KeptPoints {
  const plan = planGrid(t, heartbeatMs);
  if (plan) {
    if (channels.length === 1) {
      const found = cheapestLine(t, channels[0], bounds[0], plan);
      const line = found && endAtLastReading(t, channels, bounds, found);
      if (line && keepsBound(t, channels, bounds, heartbeatMs, line)) return line;
    }
    const found = gridDoor(t, channels, bounds, plan);
    const greedy = found && endAtLastReading(t, channels, bounds, found);
    if (greedy && keepsBound(t, channels, bounds, heartbeatMs, greedy)) return greedy;
  }
  const keep = swingingDoor(t, channels, bounds, heartbeatMs);
  return { times: keep.map((i) => t[i]), values: channels.map((ch) => keep.map((i) => ch[i])) };
}

/**
 * Every reading (at strictly increasing times) within its bound of the line, never more vertices than readings,
 * and no line longer than the heartbeat unless it spans no reading (a gap in the readings themselves).
 */
function keepsBound(t: ArrayLike<number>, channels: ArrayLike<number>[], bounds: number[], heartbeatMs: number, line: KeptPoints): boolean {
  const { times, values } = line;
  if (times.length > t.length || times[0] !== t[0] || times[times.length - 1] !== t[t.length - 1]) return false;
  for (let k = 1, i = 0; k < times.length; k++) {
    if (!(times[k] > times[k - 1])) return false;
    while (i < t.length && t[i] <= times[k - 1]) i++;
    if (times[k] - times[k - 1] > heartbeatMs && i < t.length && t[i] < times[k]) return false;
  }
  let k = 1;
  for (let i = 0; i < t.length; i++) {
    while (times[k] < t[i]) k++;
    for (let c = 0; c < channels.length; c++) {
      const v = interpolate(times[k - 1], values[c][k - 1], times[k], values[c][k], t[i]);
      if (!(Math.abs(v - channels[c][i]) <= bounds[c])) return false;
    }
  }
  return true;
}

/**
 * A grid line may end on the first grid time after the last reading. A frame must not reach past its readings (the
 * next frame starts at its own first reading: consumers joining frames would see time step back), so the last
 * vertex moves to the last reading's time, with an integer value that keeps the readings after the previous vertex
 * in bound; when none does, those readings themselves become the vertices (exact, so always in bound).
 */
function endAtLastReading(t: ArrayLike<number>, channels: ArrayLike<number>[], bounds: number[], line: KeptPoints): KeptPoints {
  const n = t.length;
  const k = line.times.length - 1;
  const tEnd = t[n - 1];
  if (line.times[k] <= tEnd || k < 1) return line;
  const ta = line.times[k - 1];
  let first = n - 1;
  while (first > 0 && t[first - 1] > ta) first--;
  const times = line.times.slice(0, k);
  const values = line.values.map((v) => v.slice(0, k));
  if (ta === tEnd) return { times, values };
  const ends: number[] = [];
  for (let c = 0; c < channels.length; c++) {
    const va = line.values[c][k - 1];
    const x = channels[c];
    const mid = interpolate(ta, va, line.times[k], line.values[c][k], tEnd);
    const end = [Math.round(mid), Math.floor(mid), Math.ceil(mid), x[n - 1]].find((v) => {
      for (let j = first; j < n; j++) if (!(Math.abs(interpolate(ta, va, tEnd, v, t[j]) - x[j]) <= bounds[c])) return false;
      return true;
    });
    if (end === undefined) {
      for (let j = first; j < n; j++) times.push(t[j]);
      values.forEach((v, cc) => {
        for (let j = first; j < n; j++) v.push(channels[cc][j]);
      });
      return { times, values };
    }
    ends.push(end);
  }
  times.push(tEnd);
  values.forEach((v, c) => v.push(ends[c]));
  return { times, values };
}
