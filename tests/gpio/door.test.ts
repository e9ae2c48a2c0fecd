import { afterEach, describe, expect, it, vi } from "vitest";
import { createDoorProcessor } from "../../agent/pipeline/door.js";
import { createDoorSource, type SimDoorControl } from "../../agent/sources/door.js";
import { Priority, type PipelineRecord } from "../../agent/model.js";
import { chatterEdges, seededRandom, type OpenInterval } from "../../drivers/gpio/line.sim.js";
import { doorProcessor } from "../../config/schema/processors-door.js";
import { streamConfig } from "../../config/schema/index.js";
import { Collector, testContext } from "./helpers.js";

const doorStream = (over: Record<string, unknown> = {}) =>
  streamConfig.parse({ name: "coldroom-1/door", group: "coldroom-1", sensor: { type: "gpio-door", line: { bcm: 17 }, backend: "simulated", ...over } });

afterEach(() => {
  vi.useRealTimers();
});

describe("door source on the simulated line", () => {
  it("declares an event stream and reports open and close at once, stamped with the edge time, despite bounce", async () => {
    const ctx = testContext();
    const source = createDoorSource(doorStream({ lockoutMs: 20 }), ctx);
    expect(source.streams).toEqual([{ name: "coldroom-1/door", kind: "event", channels: [], priority: Priority.event, group: "coldroom-1" }]);
    const out = new Collector();
    await source.start(out.emit);
    const sim = ctx.shared.get("sim:gpio:coldroom-1/door") as SimDoorControl;
    const opened = sim.line.transition(1, { pairs: 6 }); // physical high = open with activeLow + openLevel 0
    // Reported synchronously on the leading edge, not after a debounce delay.
    expect(out.events()).toEqual([{ type: "door.open", t: opened[0].t, data: {} }]);
    expect(sim.isOpen()).toBe(true);
    // Closed a second later: a new leading edge, reported at once.
    const closed = sim.line.transition(0, { pairs: 6 }, opened[0].t + 1000);
    expect(out.events()[1]).toEqual({ type: "door.close", t: closed[0].t, data: {} });
    sim.open();
    await out.waitFor(3);
    // Reopened within the lockout of the close: bounce at first, confirmed as open once the line settles.
    await out.waitFor(3);
    expect(out.events().map((e) => [e.type, e.data])).toEqual([["door.open", {}], ["door.close", {}], ["door.open", { confirmed: true }]]);
    await source.stop();
    expect(source.status()).toMatchObject({ state: "stopped", samples: 3, faults: {} });
  });

  it("a glitch is reported at its leading edge and corrected once the line settles", async () => {
    const ctx = testContext();
    const source = createDoorSource(doorStream({ lockoutMs: 5 }), ctx);
    const out = new Collector();
    await source.start(out.emit);
    const sim = ctx.shared.get("sim:gpio:coldroom-1/door") as SimDoorControl;
    const t = Date.now();
    sim.line.edges([
      { level: 1, t },
      { level: 0, t: t + 0.2 },
    ]);
    await out.waitFor(2);
    await source.stop();
    expect(out.events()).toEqual([
      { type: "door.open", t, data: {} },
      { type: "door.close", t: t + 0.2, data: { confirmed: true } },
    ]);
  });

  it("bounce storm through the source: 10,000 edges/s for a second at each transition gives one event per transition", async () => {
    const ctx = testContext();
    const source = createDoorSource(doorStream({ lockoutMs: 50 }), ctx);
    const out = new Collector();
    await source.start(out.emit);
    const sim = ctx.shared.get("sim:gpio:coldroom-1/door") as SimDoorControl;
    // Recorded a minute ago, delivered now: every lockout has already run out when the settle timer checks.
    const t0 = Date.now() - 60_000;
    sim.line.edges([...chatterEdges(1, t0, 10_000, 1000), ...chatterEdges(0, t0 + 10_000, 10_000, 1000)]);
    expect(sim.line.edgesDelivered).toBeGreaterThan(19_990);
    expect(out.events().map((e) => [e.type, e.t])).toEqual([["door.open", t0], ["door.close", t0 + 10_000]]);
    sim.line.edge(1, t0 + 20_000); // a later real opening still comes through
    expect(out.events().map((e) => e.type)).toEqual(["door.open", "door.close", "door.open"]);
    await source.stop();
    expect(source.status().samples).toBe(3);
  });

  it("activeLow false with openLevel 1: a high line is open; a door open at start is reported as initial", async () => {
    const ctx = testContext();
    const source = createDoorSource(doorStream({ activeLow: false, openLevel: 1 }), ctx);
    const sim0 = ctx.shared.get("sim:gpio:coldroom-1/door") as SimDoorControl;
    sim0.line.edge(1); // open before start
    const out = new Collector();
    await source.start(out.emit);
    expect(out.events()).toMatchObject([{ type: "door.open", data: { initial: true } }]);
    await source.stop();
  });
});

describe("door processor", () => {
  const cfg = doorProcessor.parse({ type: "door", openTooLongS: 60, metricsIntervalS: 3600 });
  const info = { name: "coldroom-1/door", kind: "event" as const, channels: [], priority: Priority.event, group: "coldroom-1" };
  const ev = (type: string, t: number) => ({ kind: "event" as const, stream: info.name, t, type, data: {} });

  it("adds the open duration on close, raises and clears door-open-too-long, and drives the room state", () => {
    const ctx = testContext();
    const p = createDoorProcessor(cfg, info, ctx);
    const out = new Collector();
    p.process(ev("door.open", 1_000), out.emit);
    expect(ctx.rooms.doorSuppresses("coldroom-1", 30_000, 600_000)).toBe(true);
    p.tick!(60_999, out.emit);
    expect(out.events().map((e) => e.type)).toEqual(["door.open"]);
    p.tick!(61_000, out.emit);
    expect(out.events()[1]).toEqual({ type: "alarm.raise", t: 61_000, data: { alarm: "door-open-too-long", group: "coldroom-1", openSince: 1_000, limitS: 60 } });
    p.tick!(62_000, out.emit); // raised once
    p.process(ev("door.close", 91_000), out.emit);
    expect(out.events().slice(2)).toEqual([
      { type: "door.close", t: 91_000, data: { durationMs: 90_000 } },
      { type: "alarm.clear", t: 91_000, data: { alarm: "door-open-too-long", group: "coldroom-1", openMs: 90_000 } },
    ]);
    // Suppressed during the grace period the temperature alarm applies, then not.
    expect(ctx.rooms.doorSuppresses("coldroom-1", 91_000 + 599_000, 600_000)).toBe(true);
    expect(ctx.rooms.doorSuppresses("coldroom-1", 91_000 + 600_000, 600_000)).toBe(false);
    expect(ctx.rooms.doorSuppresses("coldroom-2", 91_000, 600_000)).toBe(false);
  });

  it("passes other records through untouched and emits the periodic metric split at period boundaries", () => {
    const ctx = testContext();
    const p = createDoorProcessor(doorProcessor.parse({ type: "door", metricsIntervalS: 600, openTooLongS: 3600 }), info, ctx);
    const out = new Collector();
    const sample: PipelineRecord = { kind: "sample", stream: "coldroom-1/temp", t: 5, values: [1] };
    p.process(sample, out.emit);
    expect(out.records[0]).toBe(sample);
    p.process(ev("door.open", 100_000), out.emit);
    p.process(ev("door.close", 160_000), out.emit);
    p.process(ev("door.open", 500_000), out.emit); // open across the boundary at 600 s (periods align to the clock)
    p.tick!(700_000, out.emit);
    p.process(ev("door.close", 800_000), out.emit);
    p.tick!(1_300_000, out.emit);
    const metrics = out.events().filter((e) => e.type === "door.metrics");
    expect(metrics).toEqual([
      { type: "door.metrics", t: 600_000, data: { periodS: 600, openings: 2, openingsPerHour: 12, openTimeS: 160, openNow: true } },
      { type: "door.metrics", t: 1_200_000, data: { periodS: 600, openings: 0, openingsPerHour: 0, openTimeS: 200, openNow: false } },
    ]);
  });
});

/** A day of door openings: mostly short, some long enough to alarm, as a busy cold room sees them. */
function dayOfOpenings(seed: number, start: number): OpenInterval[] {
  const rnd = seededRandom(seed);
  const out: OpenInterval[] = [];
  let t = start + 60_000;
  while (true) {
    t += Math.round(60_000 + rnd() * 1_800_000);
    const long = rnd() < 0.1;
    const dur = Math.round(long ? 300_000 + rnd() * 900_000 : 3_000 + rnd() * 120_000);
    if (t + dur > start + 86_400_000 - 60_000) break;
    out.push({ openAt: t, closeAt: t + dur });
    t += dur;
  }
  return out;
}

describe("replay of a day of door openings", () => {
  it("yields the same events, durations and alarms as the log", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    const start = Date.UTC(2026, 5, 1);
    vi.setSystemTime(start);
    const ctx = testContext(() => Date.now());
    const stream = doorStream({ lockoutMs: 50 });
    const source = createDoorSource(stream, ctx);
    const proc = createDoorProcessor(doorProcessor.parse({ type: "door", openTooLongS: 300, metricsIntervalS: 3600 }), source.streams[0], ctx);
    const out = new Collector();
    await source.start((r) => proc.process(r, out.emit));
    const ticker = setInterval(() => proc.tick!(Date.now(), out.emit), 1000);
    const log = dayOfOpenings(42, start);
    expect(log.length).toBeGreaterThan(40);
    const sim = ctx.shared.get("sim:gpio:coldroom-1/door") as SimDoorControl;
    const done = sim.replay(log);
    await vi.advanceTimersByTimeAsync(86_400_000);
    await done;
    clearInterval(ticker);
    await source.stop();

    const expected: Array<{ type: string; t: number; data: Record<string, unknown> }> = [];
    for (const iv of log) {
      const dur = iv.closeAt - iv.openAt;
      expected.push({ type: "door.open", t: iv.openAt, data: {} });
      if (dur >= 300_000) expected.push({ type: "alarm.raise", t: iv.openAt + 300_000, data: { alarm: "door-open-too-long", group: "coldroom-1", openSince: iv.openAt, limitS: 300 } });
      expected.push({ type: "door.close", t: iv.closeAt, data: { durationMs: dur } });
      if (dur >= 300_000) expected.push({ type: "alarm.clear", t: iv.closeAt, data: { alarm: "door-open-too-long", group: "coldroom-1", openMs: dur } });
    }
    const events = out.events();
    expect(events.filter((e) => e.type !== "door.metrics")).toEqual(expected);
    expect(expected.some((e) => e.type === "alarm.raise")).toBe(true);

    // Hourly metric: the openings in each hour and the open time inside it add up to the log's.
    const metrics = events.filter((e) => e.type === "door.metrics");
    expect(metrics.length).toBe(24);
    const hourStart = (m: { t: number }) => m.t - 3_600_000;
    for (const m of metrics) {
      const h0 = hourStart(m);
      const opens = log.filter((iv) => iv.openAt >= h0 && iv.openAt < m.t).length;
      const openMs = log.reduce((s, iv) => s + Math.max(0, Math.min(iv.closeAt, m.t) - Math.max(iv.openAt, h0)), 0);
      expect(m.data.openings).toBe(opens);
      expect(m.data.openTimeS).toBeCloseTo(openMs / 1000, 6);
    }
  });
});
