import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSensorFaultProcessor, createTemperatureAlarmProcessor } from "../../agent/analytics/processors.js";
import { Priority, type EventRecord, type PipelineRecord, type StreamInfo } from "../../agent/model.js";
import { sensorFaultProcessor, temperatureAlarmProcessor } from "../../config/schema/processors-analytics.js";
import { collector, testContext } from "./helpers.js";

const stream: StreamInfo = {
  name: "room/t",
  kind: "periodic",
  priority: Priority.periodic,
  group: "room",
  channels: [{ name: "t", unit: "degC", scale: 0.1, offset: 0 }],
};

type Step = { kind: "sample"; dt: number; count: number } | { kind: "door"; dt: number; open: boolean } | { kind: "tick"; dt: number } | { kind: "status"; dt: number; state: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("sample" as const), dt: fc.integer({ min: 0, max: 120_000 }), count: fc.integer({ min: -100, max: 200 }) }),
  fc.record({ kind: fc.constant("door" as const), dt: fc.integer({ min: 0, max: 120_000 }), open: fc.boolean() }),
  fc.record({ kind: fc.constant("tick" as const), dt: fc.integer({ min: 0, max: 120_000 }) }),
  fc.record({ kind: fc.constant("status" as const), dt: fc.integer({ min: 0, max: 120_000 }), state: fc.constantFrom("online", "offline", "degraded") }),
);

/** Per alarm name: raise, clear, raise, ... never two raises or two clears in a row, never a clear first. */
function alternates(events: EventRecord[]): boolean {
  const state = new Map<string, boolean>();
  for (const e of events) {
    const name = e.data.alarm as string;
    const up = e.type === "alarm.raise";
    if ((state.get(name) ?? false) === up) return false;
    state.set(name, up);
  }
  return true;
}

describe("alarm invariants under arbitrary input", () => {
  it("temperature alarms alternate, never raise while the door suppresses, and pass every sample on", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const ctx = testContext();
        const cfg = temperatureAlarmProcessor.parse({ type: "temperature-alarm", high: 8, low: 2, delayS: 120, hysteresis: 0.5, doorGraceS: 300 });
        const p = createTemperatureAlarmProcessor(cfg, stream, ctx);
        const c = collector();
        const inputs: PipelineRecord[] = [];
        let t = 0;
        const raisesOk: boolean[] = [];
        for (const s of steps) {
          t += s.dt;
          const before = c.records.length;
          if (s.kind === "door") ctx.rooms.setDoor("room", s.open, t);
          else if (s.kind === "tick") p.tick!(t, c.emit);
          else {
            const r: PipelineRecord =
              s.kind === "sample"
                ? { kind: "sample", stream: stream.name, t, values: [s.count] }
                : { kind: "event", stream: stream.name, t, type: "status", data: { state: s.state } };
            inputs.push(r);
            p.process(r, c.emit);
          }
          for (const r of c.records.slice(before)) {
            if (r.kind === "event" && r.type === "alarm.raise") {
              const v = r.data.value as number;
              raisesOk.push(!ctx.rooms.doorSuppresses("room", t, 300_000) && (v > 8 || v < 2));
            }
          }
        }
        const alarms = c.records.filter((r): r is EventRecord => r.kind === "event" && r.stream === "room/t/alarms");
        expect(alternates(alarms)).toBe(true);
        expect(raisesOk.every(Boolean)).toBe(true);
        expect(c.records.filter((r) => r.stream === stream.name)).toEqual(inputs);
      }),
      { numRuns: 300 },
    );
  });

  it("sensor-fault alarms alternate and pass every record on", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const cfg = sensorFaultProcessor.parse({ type: "sensor-fault", stuckS: 300, min: -5, max: 15, silenceS: 600 });
        const p = createSensorFaultProcessor(cfg, stream, testContext());
        const c = collector();
        const inputs: PipelineRecord[] = [];
        let t = 0;
        for (const s of steps) {
          t += s.dt;
          if (s.kind === "tick") p.tick!(t, c.emit);
          else if (s.kind !== "door") {
            const r: PipelineRecord =
              s.kind === "sample"
                ? { kind: "sample", stream: stream.name, t, values: [s.count] }
                : { kind: "event", stream: stream.name, t, type: "status", data: { state: s.state, kind: "crc" } };
            inputs.push(r);
            p.process(r, c.emit);
          }
        }
        const alarms = c.records.filter((r): r is EventRecord => r.kind === "event" && r.stream === "room/t/alarms");
        expect(alternates(alarms)).toBe(true);
        expect(c.records.filter((r) => r.stream === stream.name)).toEqual(inputs);
      }),
      { numRuns: 300 },
    );
  });
});
