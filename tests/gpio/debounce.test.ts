import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LeadingEdgeDebouncer, type LevelChange } from "../../drivers/gpio/debounce.js";
import type { GpioEdge, Level } from "../../drivers/gpio/line.js";
import { bounceEdges, chatterEdges, seededRandom } from "../../drivers/gpio/line.sim.js";

/** Runs edges through the debouncer in virtual time, calling settle at each deadline as the source's timer would. */
function run(initial: Level, lockoutMs: number, edges: GpioEdge[]): LevelChange[] {
  const d = new LeadingEdgeDebouncer(initial, lockoutMs);
  const out: LevelChange[] = [];
  for (const e of edges) {
    while (d.deadline !== undefined && d.deadline <= e.t) {
      const c = d.settle(d.deadline);
      if (c) out.push(c);
    }
    out.push(...d.edge(e.level, e.t));
  }
  while (d.deadline !== undefined) {
    const c = d.settle(d.deadline);
    if (c) out.push(c);
  }
  return out;
}

describe("leading-edge debouncer", () => {
  it("bounce storm: 10,000 edges per second for one second around each real transition yields exactly the real transitions", () => {
    const real: Array<{ level: Level; t: number }> = [
      { level: 1, t: 10_000 },
      { level: 0, t: 20_000 },
      { level: 1, t: 30_000 },
      { level: 0, t: 45_000 },
    ];
    // Chatter begins half a second before the real transition and lasts one second; the line ends at the new level.
    const edges = real.flatMap((r) => {
      const storm = chatterEdges(r.level, r.t - 500, 10_000, 1000);
      expect(storm.length).toBeGreaterThanOrEqual(9_999);
      return storm;
    });
    const out = run(0, 50, edges);
    expect(out.map((c) => c.level)).toEqual(real.map((r) => r.level));
    // Each change is reported at the first edge of its storm, not after it settles.
    expect(out.map((c) => c.t)).toEqual(real.map((r) => r.t - 500));
    expect(out.every((c) => !c.confirmed)).toBe(true);
  });

  it("reports the leading edge at its own time, before any bounce has ended", () => {
    const d = new LeadingEdgeDebouncer(0, 50);
    expect(d.edge(1, 1000)).toEqual([{ level: 1, t: 1000, confirmed: false }]);
    expect(d.edge(0, 1000.2)).toEqual([]);
    expect(d.edge(1, 1000.5)).toEqual([]);
    expect(d.deadline).toBe(1050.5);
    expect(d.settle(1050.5)).toBeNull();
    expect(d.level).toBe(1);
  });

  it("confirms the settled level when a glitch ends back at the old level", () => {
    const out = run(0, 50, [
      { level: 1, t: 100 },
      { level: 0, t: 100.1 },
    ]);
    expect(out).toEqual([
      { level: 1, t: 100, confirmed: false },
      { level: 0, t: 100.1, confirmed: true },
    ]);
  });

  it("bounce edges reported after their lockout was settled (a lagging gpiomon) stay bounce", () => {
    const d = new LeadingEdgeDebouncer(0, 50);
    expect(d.edge(1, 1000)).toEqual([{ level: 1, t: 1000, confirmed: false }]);
    expect(d.settle(1050)).toBeNull(); // the timer fired before the tail of the bounce was delivered
    // The tail arrives late, stamped inside the settled lockout: no new open/close, no correction.
    expect(d.edge(0, 1020)).toEqual([]);
    expect(d.edge(1, 1021)).toEqual([]);
    expect(d.settle(1100)).toBeNull();
    expect(d.level).toBe(1);
    // A real transition after the lockout still leads at once.
    expect(d.edge(0, 2000)).toEqual([{ level: 0, t: 2000, confirmed: false }]);
  });

  it("a late edge that changes the settled level is reported as a confirmed correction, not a new leading edge", () => {
    const d = new LeadingEdgeDebouncer(0, 50);
    d.edge(1, 1000);
    d.settle(1050);
    expect(d.edge(0, 1030)).toEqual([]); // the line really ended low: the last edge was delivered late
    expect(d.settle(1100)).toEqual({ level: 0, t: 1030, confirmed: true });
  });

  it("an edge that repeats the reported level (a missed edge) changes nothing", () => {
    expect(run(1, 50, [{ level: 1, t: 5 }])).toEqual([]);
  });

  it("property: any bounce within 1 ms, transitions further apart than the lockout, yields exactly the transitions", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 60, max: 100_000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer(),
        (gaps, pairs, seed) => {
          const rnd = seededRandom(seed);
          let t = 0;
          let level: Level = 0;
          const real: Array<{ level: Level; t: number }> = [];
          const edges: GpioEdge[] = [];
          for (const g of gaps) {
            t += g;
            level = level === 1 ? 0 : 1;
            real.push({ level, t });
            edges.push(...bounceEdges(level, t, { pairs, spanMs: 1 }, rnd));
          }
          const out = run(0, 50, edges);
          expect(out).toEqual(real.map((r) => ({ ...r, confirmed: false })));
        },
      ),
    );
  });
});
