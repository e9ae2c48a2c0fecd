import { describe, expect, it } from "vitest";
import { createTemperatureAlarmProcessor } from "../../agent/analytics/processors.js";
import { Priority, type EventRecord, type PipelineRecord, type StreamInfo } from "../../agent/model.js";
import { temperatureAlarmProcessor } from "../../config/schema/processors-analytics.js";
import { collector, testContext } from "./helpers.js";

const stream: StreamInfo = {
  name: "coldroom-1/temperature",
  kind: "periodic",
  priority: Priority.periodic,
  group: "coldroom-1",
  channels: [
    { name: "humidity", unit: "%RH", scale: 0.01, offset: 0 },
    { name: "temperature", unit: "degC", scale: 0.01, offset: 0 },
  ],
};
const S = 1000;
const sample = (tS: number, degC: number): PipelineRecord => ({ kind: "sample", stream: stream.name, t: tS * S, values: [5000, Math.round(degC * 100)] });
const alarms = (rs: PipelineRecord[]) => rs.filter((r): r is EventRecord => r.kind === "event" && r.type.startsWith("alarm."));

function setup(over: Record<string, unknown> = {}) {
  const ctx = testContext();
  const cfg = temperatureAlarmProcessor.parse({ type: "temperature-alarm", channel: "temperature", high: 5, low: 0, delayS: 300, hysteresis: 0.5, doorGraceS: 600, ...over });
  const p = createTemperatureAlarmProcessor(cfg, stream, ctx);
  const c = collector();
  return { p, c, ctx, feed: (...rs: PipelineRecord[]) => rs.forEach((r) => p.process(r, c.emit)) };
}

describe("temperature alarm", () => {
  it("passes every sample on unchanged and declares its alarm stream", () => {
    const { p, c, feed } = setup();
    const s = sample(0, 3);
    feed(s);
    expect(c.records).toEqual([s]);
    expect(c.records[0]).toBe(s);
    expect(p.streams).toEqual([expect.objectContaining({ name: "coldroom-1/temperature/alarms", priority: Priority.alarm, kind: "event" })]);
  });

  it("raises only after the limit has been exceeded for the delay, and clears with hysteresis", () => {
    const { c, feed } = setup();
    feed(sample(0, 4), sample(60, 5.5), sample(300, 6), sample(359, 6.2));
    expect(alarms(c.records)).toHaveLength(0);
    feed(sample(360, 6.1));
    expect(alarms(c.records)).toEqual([
      expect.objectContaining({
        type: "alarm.raise",
        stream: "coldroom-1/temperature/alarms",
        severity: "critical",
        t: 360 * S,
        data: { alarm: "temperature.high", channel: "temperature", value: 6.1, limit: 5, unit: "degC", since: 60 * S },
      }),
    ]);
    // Inside the limit but within the hysteresis: still raised.
    feed(sample(400, 4.8), sample(420, 4.6));
    expect(alarms(c.records)).toHaveLength(1);
    feed(sample(480, 4.5));
    expect(alarms(c.records)[1]).toMatchObject({ type: "alarm.clear", t: 480 * S, data: { alarm: "temperature.high", value: 4.5 } });
  });

  it("a short excursion below the delay raises nothing", () => {
    const { c, feed } = setup();
    feed(sample(0, 6), sample(200, 6), sample(250, 4), sample(400, 6), sample(650, 6));
    expect(alarms(c.records)).toHaveLength(0);
  });

  it("raises from tick when samples stop arriving during an excursion", () => {
    const { p, c, feed } = setup();
    feed(sample(0, 7));
    p.tick!(299 * S, c.emit);
    expect(alarms(c.records)).toHaveLength(0);
    p.tick!(300 * S, c.emit);
    expect(alarms(c.records)).toEqual([expect.objectContaining({ type: "alarm.raise", t: 300 * S, data: expect.objectContaining({ value: 7 }) })]);
    p.tick!(301 * S, c.emit);
    expect(alarms(c.records)).toHaveLength(1);
  });

  it("low limit with its own hysteresis", () => {
    const { c, feed } = setup({ delayS: 0 });
    feed(sample(0, -0.5));
    expect(alarms(c.records)[0]).toMatchObject({ type: "alarm.raise", data: { alarm: "temperature.low", limit: 0 } });
    feed(sample(10, 0.3));
    expect(alarms(c.records)).toHaveLength(1);
    feed(sample(20, 0.5));
    expect(alarms(c.records)[1]).toMatchObject({ type: "alarm.clear", data: { alarm: "temperature.low" } });
  });

  it("is suppressed while the door is open and for the grace period after it closes", () => {
    const { c, ctx, p, feed } = setup();
    ctx.rooms.setDoor("coldroom-1", true, 0);
    feed(sample(0, 8), sample(400, 9));
    p.tick!(900 * S, c.emit);
    expect(alarms(c.records)).toHaveLength(0);
    ctx.rooms.setDoor("coldroom-1", false, 1000 * S);
    feed(sample(1000, 8), sample(1500, 7)); // grace runs until 1600 s
    expect(alarms(c.records)).toHaveLength(0);
    feed(sample(1600, 7)); // suppression over: the delay starts now
    p.tick!(1899 * S, c.emit);
    expect(alarms(c.records)).toHaveLength(0);
    p.tick!(1900 * S, c.emit);
    expect(alarms(c.records)).toEqual([expect.objectContaining({ type: "alarm.raise", data: expect.objectContaining({ since: 1600 * S }) })]);
  });

  it("a door opening does not clear an alarm already raised", () => {
    const { c, ctx, feed } = setup({ delayS: 0 });
    feed(sample(0, 8));
    ctx.rooms.setDoor("coldroom-1", true, 10 * S);
    feed(sample(20, 9));
    expect(alarms(c.records).map((a) => a.type)).toEqual(["alarm.raise"]);
  });

  it("a door of another room does not suppress", () => {
    const { c, ctx, feed } = setup({ delayS: 0 });
    ctx.rooms.setDoor("coldroom-2", true, 0);
    feed(sample(0, 8));
    expect(alarms(c.records)).toHaveLength(1);
  });

  it("a sample without the channel's value is passed on, counted, and changes nothing", () => {
    const { c, feed } = setup({ delayS: 0 });
    const broken: PipelineRecord = { kind: "sample", stream: stream.name, t: 5, values: [1] };
    const nan: PipelineRecord = { kind: "sample", stream: stream.name, t: 6, values: [1, Number.NaN] };
    feed(broken, nan, sample(10, 3));
    expect(c.records.slice(0, 2)).toEqual([broken, nan]);
    expect(alarms(c.records)).toHaveLength(0);
  });

  it("rejects a channel the stream does not have", () => {
    expect(() => setup({ channel: "pressure" })).toThrow(/no channel "pressure"/);
  });
});
