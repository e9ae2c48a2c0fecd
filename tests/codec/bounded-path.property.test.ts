import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame } from "../../agent/codec/index.js";
import { gridDoor, planGrid, type KeptPoints } from "../../agent/codec/bounded.js";
import { cheapestGridLine, gammaBits, type EdgeCost } from "../../agent/codec/bounded-path.js";
import { worstError } from "./bounded-check.js";

const T0 = 1_700_000_000_000;

/** Readings about every `interval` ms with jitter, and now and then a longer gap (sometimes beyond the heartbeat). */
const jitteredTimes = (n: number) =>
  fc.tuple(fc.constantFrom(1000, 60_000), fc.array(fc.oneof({ weight: 9, arbitrary: fc.double({ min: 0.97, max: 1.03, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: 1.5, max: 40, noNaN: true }) }), { minLength: n, maxLength: n })).map(([interval, factors]) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(i === 0 ? T0 : times[i - 1] + Math.max(1, Math.round(interval * factors[i])));
    return times;
  });

/** Counts shaped like slow sensors and their accidents: walks, steps, ramps, noise, a sine. */
const shapedValues = (n: number) =>
  fc.tuple(fc.constantFrom("walk", "steps", "ramp", "noise", "sine"), fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: n, maxLength: n }), fc.integer({ min: 1, max: 400 })).map(([shape, r, a]) => {
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      const prev = i ? v[i - 1] : 2000;
      if (shape === "walk") v.push(prev + (r[i] % 4));
      else if (shape === "steps") v.push(Math.abs(r[i]) < 30 ? prev + r[i] * 3 : prev);
      else if (shape === "ramp") v.push(2000 + Math.round((i * a) / 37) + (r[i] % 2));
      else if (shape === "noise") v.push(2000 + (r[i] % (a + 1)));
      else v.push(Math.round(2000 + a * Math.sin(i / 17)));
    }
    return v;
  });

const series = fc.integer({ min: 0, max: 300 }).chain((n) => fc.tuple(jitteredTimes(n), shapedValues(n)));

function bits(line: KeptPoints, G: number, cost: EdgeCost): number {
  let b = 0;
  for (let k = 1; k < line.times.length; k++) b += cost.steps(Math.round((line.times[k] - line.times[k - 1]) / G)) + cost.delta(line.values[0][k] - line.values[0][k - 1]);
  return b;
}

describe("bounded error (cheapest grid line)", () => {
  it("keeps every reading within maxError at any scale, and the heartbeat, with no more vertices than readings, from the first reading to the last", () => {
    fc.assert(
      fc.property(series, fc.constantFrom(0.01, 0.1, 1, 0.0039, 0.5), fc.constantFrom(0, 0.01, 0.05, 0.3, 1), fc.constantFrom(120, 900, 3600), ([times, values], scale, maxError, heartbeatS) => {
        const f = encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels: [{ name: "t", unit: "degC", scale, offset: 0 }], times, values: [values], maxError, heartbeatMs: heartbeatS * 1000 });
        const d = decodeFrame(f.bytes);
        expect(worstError(times, values, d) * scale).toBeLessThanOrEqual(maxError + 1e-12);
        expect(d.count).toBeLessThanOrEqual(times.length);
        const longestGap = times.reduce((m, t, i) => (i ? Math.max(m, t - times[i - 1]) : m), 0);
        for (let k = 1; k < d.count; k++) expect(d.times[k] - d.times[k - 1]).toBeLessThanOrEqual(Math.max(heartbeatS * 1000, longestGap));
        // The frame spans exactly its readings: the next frame's first reading never precedes its last vertex.
        if (times.length) expect([d.times[0], d.times[d.count - 1]]).toEqual([times[0], times[times.length - 1]]);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps each channel within its own bound when a frame has several", () => {
    fc.assert(
      fc.property(series, fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 300, maxLength: 300 }), ([times, values], noise) => {
        const second = values.map((v, i) => 3 * v + noise[i]);
        const channels = [{ name: "t", unit: "degC", scale: 0.01, offset: 0 }, { name: "h", unit: "%", scale: 0.05, offset: 0 }];
        const d = decodeFrame(encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels, times, values: [values, second], maxError: 0.1, heartbeatMs: 900_000 }).bytes);
        expect(worstError(times, values, d, 0) * 0.01).toBeLessThanOrEqual(0.1 + 1e-12);
        expect(worstError(times, second, d, 1) * 0.05).toBeLessThanOrEqual(0.1 + 1e-12);
      }),
      { numRuns: 150 },
    );
  });

  it("costs no more than the greedy grid line under the same cost model (the greedy line is one of its paths)", () => {
    fc.assert(
      fc.property(series, fc.constantFrom(1, 3, 5, 12), fc.constantFrom(900_000, 3_600_000), ([times, values], bound, heartbeatMs) => {
        const plan = planGrid(times, heartbeatMs);
        const greedy = plan && gridDoor(times, [values], [bound], plan);
        if (!plan || !greedy) return; // no grid here: the swinging door's business, covered above
        const cost: EdgeCost = { steps: (s) => gammaBits(s - plan.maxSteps), delta: gammaBits };
        const best = cheapestGridLine(times, values, bound, plan, cost);
        expect(best).toBeDefined();
        expect(bits(best!, plan.G, cost)).toBeLessThanOrEqual(bits(greedy, plan.G, cost) + 1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it("stays on the grid across a gap longer than the heartbeat, jumping it without spanning a reading", () => {
    const times: number[] = [];
    for (let i = 0; i < 120; i++) times.push(T0 + i * 60_000 + (i >= 60 ? 7_200_000 : 0) + ((i * 7919) % 3) * 1000 - 1000);
    times[0] = T0;
    const values = times.map((_, i) => Math.round(2000 + 40 * Math.sin(i / 9)));
    const channels = [{ name: "t", unit: "degC", scale: 0.01, offset: 0 }];
    const d = decodeFrame(encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels, times, values: [values], maxError: 0.05, heartbeatMs: 900_000 }).bytes);
    expect(worstError(times, values, d)).toBeLessThanOrEqual(5);
    const { G } = planGrid(times, 900_000)!;
    expect(Array.from(d.times.subarray(0, -1)).every((t) => (t - T0) % G === 0)).toBe(true); // the grid line, not the fallback
    expect(d.times[d.times.length - 1]).toBe(times[times.length - 1]); // and it ends at the last reading, not past it
    const jumps = Array.from(d.times).filter((t, k) => k > 0 && t - d.times[k - 1] > 900_000);
    expect(jumps.length).toBe(1);
    const k = Array.from(d.times).indexOf(jumps[0]);
    expect(times.some((t) => t > d.times[k - 1] && t < d.times[k])).toBe(false);
  });

  it("turns between two grid times: a vertex may lie beyond the readings' own line", () => {
    // Readings 45 s after each grid time, falling fast then rising fast: the turn is between grid times.
    const times = Array.from({ length: 40 }, (_, i) => (i === 0 ? T0 : T0 + (i - 1) * 60_000 + 45_000));
    const values = times.map((_, i) => 2000 + 30 * Math.abs(i - 20));
    const plan = planGrid(times, 900_000)!;
    const line = cheapestGridLine(times, values, 5, plan, { steps: (s) => gammaBits(s - plan.maxSteps), delta: gammaBits });
    expect(line).toBeDefined();
    const d = decodeFrame(encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels: [{ name: "t", unit: "degC", scale: 0.01, offset: 0 }], times, values: [values], maxError: 0.05, heartbeatMs: 900_000 }).bytes);
    expect(Array.from(d.times.subarray(0, -1))).toEqual(line!.times.slice(0, -1));
    expect(d.times[d.times.length - 1]).toBe(times[times.length - 1]);
    expect(worstError(times, values, d)).toBeLessThanOrEqual(5);
  });

  it("bends only every few readings where they are much denser than the heartbeat", () => {
    const times = Array.from({ length: 100 }, (_, i) => T0 + i * 1000);
    expect(planGrid(times, 900_000)).toEqual({ G: 15_000, maxSteps: 60 });
    expect(planGrid(times, 60_000)).toEqual({ G: 1000, maxSteps: 60 });
  });

  it("draws a ramp as one line and a step as a line each side of it", () => {
    const times = Array.from({ length: 30 }, (_, i) => T0 + i * 60_000);
    const plan = planGrid(times, 3_600_000)!;
    const cost: EdgeCost = { steps: (s) => gammaBits(s - plan.maxSteps), delta: gammaBits };
    const ramp = cheapestGridLine(times, times.map((_, i) => 2000 + 7 * i), 5, plan, cost)!;
    expect(ramp.times).toEqual([T0, T0 + 29 * 60_000]);
    const step = cheapestGridLine(times, times.map((_, i) => (i < 12 ? 2000 : 2100)), 5, plan, cost)!;
    expect(step.times).toEqual([T0, T0 + 11 * 60_000, T0 + 12 * 60_000, T0 + 29 * 60_000]);
  });
});
