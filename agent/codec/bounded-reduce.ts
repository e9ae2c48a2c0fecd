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
      const line = cheapestLine(t, channels[0], bounds[0], plan);
      if (line && keepsBound(t, channels, bounds, heartbeatMs, line)) return line;
    }
    const greedy = gridDoor(t, channels, bounds, plan);
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
  if (times.length > t.length || times[0] !== t[0] || times[times.length - 1] < t[t.length - 1]) return false;
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
