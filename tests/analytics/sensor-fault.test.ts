import { describe, expect, it } from "vitest";
import { createSensorFaultProcessor } from "../../agent/analytics/processors.js";
import { Priority, type EventRecord, type PipelineRecord, type StreamInfo } from "../../agent/model.js";
import { sensorFaultProcessor } from "../../config/schema/processors-analytics.js";
import { collector, testContext } from "./helpers.js";

const stream: StreamInfo = {
  name: "coldroom-1/temperature",
  kind: "periodic",
  priority: Priority.periodic,
  channels: [{ name: "temperature", unit: "degC", scale: 0.01, offset: 0 }],
};
const S = 1000;
const sample = (tS: number, degC: number): PipelineRecord => ({ kind: "sample", stream: stream.name, t: tS * S, values: [Math.round(degC * 100)] });
const status = (tS: number, data: Record<string, unknown>): PipelineRecord => ({ kind: "event", stream: stream.name, t: tS * S, type: "status", data });
const alarms = (rs: PipelineRecord[]) =>
  rs.filter((r): r is EventRecord => r.kind === "event" && r.type.startsWith("alarm.")).map((a) => `${a.type} ${a.data.alarm as string}`);

function setup(over: Record<string, unknown> = {}) {
  const cfg = sensorFaultProcessor.parse({ type: "sensor-fault", stuckS: 600, min: -40, max: 125, crcErrors: 3, crcWindowS: 60, ...over });
  const p = createSensorFaultProcessor(cfg, stream, testContext());
  const c = collector();
  return { p, c, feed: (...rs: PipelineRecord[]) => rs.forEach((r) => p.process(r, c.emit)) };
}

describe("sensor-fault alarms", () => {
  it("passes everything on unchanged", () => {
    const { c, feed } = setup();
    const rs = [sample(0, 3), status(1, { state: "online" })];
    feed(...rs);
    expect(c.records).toEqual(rs);
  });

  it("a value that has not changed for stuckS is stuck; a change clears it", () => {
    const { c, feed } = setup();
    feed(sample(0, 3.21), sample(300, 3.21), sample(599, 3.21));
    expect(alarms(c.records)).toEqual([]);
    feed(sample(600, 3.21), sample(700, 3.21));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.stuck"]);
    feed(sample(701, 3.22));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.stuck", "alarm.clear sensor.stuck"]);
  });

  it("a value outside the sensor's range raises at once and clears when back inside", () => {
    const { c, feed } = setup();
    feed(sample(0, 130), sample(1, 140));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.range"]);
    const raised = c.records.find((r): r is EventRecord => r.kind === "event" && r.type === "alarm.raise")!;
    expect(raised).toMatchObject({ stream: "coldroom-1/temperature/alarms", severity: "warning", data: { value: 130, limit: 125, unit: "degC" } });
    feed(sample(2, 20), sample(3, -45));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.range", "alarm.clear sensor.range", "alarm.raise sensor.range"]);
  });

  it("the source's offline status raises, online clears", () => {
    const { c, feed } = setup();
    feed(status(0, { state: "offline", detail: "nack at 0x44" }), status(5, { state: "offline" }));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.offline"]);
    feed(status(10, { state: "online" }));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.offline", "alarm.clear sensor.offline"]);
  });

  it("repeated CRC faults within the window raise; scattered ones do not", () => {
    const scattered = setup();
    scattered.feed(status(0, { kind: "crc" }), status(50, { kind: "crc" }), status(120, { kind: "crc" }));
    expect(alarms(scattered.c.records)).toEqual([]);
    const { c, feed } = setup();
    feed(status(0, { kind: "crc" }), status(10, { kind: "crc" }), status(20, { kind: "crc" }));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.crc"]);
    feed(sample(30, 3));
    expect(alarms(c.records)).toHaveLength(1);
    feed(sample(90, 3));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.crc", "alarm.clear sensor.crc"]);
  });

  it("counts an offline status whose reason is a CRC fault (as the I2C source reports it)", () => {
    const { c, feed } = setup({ crcErrors: 2 });
    feed(status(0, { state: "offline", reason: "crc: checksum 0x12 != 0x34" }), status(5, { state: "online" }));
    feed(status(10, { state: "offline", reason: "nack: no ack" }));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.offline", "alarm.clear sensor.offline", "alarm.raise sensor.offline"]);
    feed(status(15, { state: "online" }), status(20, { state: "offline", reason: "crc: checksum" }));
    expect(alarms(c.records)).toContain("alarm.raise sensor.crc");
  });

  it("counts CRC faults from the growth of the source's fault counter", () => {
    const { c, feed } = setup();
    feed(status(0, { state: "degraded", faults: { crc: 10 } }), status(5, { state: "degraded", faults: { crc: 13 } }));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.crc"]);
  });

  it("silence longer than silenceS is offline; the next sample clears it", () => {
    const { p, c, feed } = setup({ silenceS: 120 });
    feed(sample(0, 3));
    p.tick!(119 * S, c.emit);
    expect(alarms(c.records)).toEqual([]);
    p.tick!(120 * S, c.emit);
    p.tick!(121 * S, c.emit);
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.offline"]);
    feed(sample(130, 3.1));
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.offline", "alarm.clear sensor.offline"]);
  });

  it("a malformed sample is passed on and counted, not taken as a value", () => {
    const { c, feed } = setup({ stuckS: 10 });
    const bad: PipelineRecord = { kind: "sample", stream: stream.name, t: 5 * S, values: [] };
    feed(sample(0, 3), bad, sample(11, 3));
    expect(c.records).toContain(bad);
    expect(alarms(c.records)).toEqual(["alarm.raise sensor.stuck"]);
  });
});
