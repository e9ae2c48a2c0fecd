import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createModbusSource, type SharedSerialBus } from "../../agent/sources/modbus.js";
import { Priority, type SampleRecord } from "../../agent/model.js";
import { agentConfig } from "../../config/schema/index.js";
import { VIBRATION_TRANSMITTER_3AXIS } from "../../drivers/serial/profiles.js";
import { Collector, testContext } from "../gpio/helpers.js";

function config(streams: unknown[]) {
  return agentConfig.parse({
    buses: { serial: [{ name: "rs485", path: `/dev/sim-${randomUUID()}`, simulate: true, timeoutMs: 50 }] },
    streams,
    uplink: { brokers: [{ url: "mqtt://127.0.0.1:1883" }] },
  });
}

function ctxWith(cfg: ReturnType<typeof config>) {
  const ctx = testContext();
  ctx.config = cfg;
  const closers: Array<() => Promise<void> | void> = [];
  ctx.onClose = (fn) => closers.push(fn);
  return { ctx, closeAll: async () => { for (const c of closers) await c(); } };
}

describe("modbus source", () => {
  it("a profile device on a simulated bus yields periodic samples: integer counts, channels with scale and unit", async () => {
    const cfg = config([{ name: "pump-1/vibration", group: "pump-1", sensor: { type: "modbus", bus: "rs485", slaveId: 1, profile: "vibration-transmitter-3axis", intervalMs: 10 } }]);
    const { ctx, closeAll } = ctxWith(cfg);
    const source = createModbusSource(cfg.streams[0], ctx);
    expect(source.streams[0]).toMatchObject({ name: "pump-1/vibration", kind: "periodic", priority: Priority.periodic, group: "pump-1" });
    expect(source.streams[0].channels).toEqual(VIBRATION_TRANSMITTER_3AXIS.registers.map((r) => ({ name: r.name, unit: r.unit, scale: r.scale, offset: r.offset })));
    const out = new Collector();
    await source.start(out.emit);
    await out.waitFor(3);
    await source.stop();
    await closeAll();
    const s = out.records[0] as SampleRecord;
    expect(s.kind).toBe("sample");
    expect(s.values.every(Number.isInteger)).toBe(true);
    const physical = s.values.map((c, i) => c * source.streams[0].channels[i].scale);
    for (const v of physical.slice(0, 3)) expect(v).toBeGreaterThan(1), expect(v).toBeLessThan(4); // mm/s
    expect(physical[3]).toBeGreaterThan(35);
    expect(source.status()).toMatchObject({ state: "stopped", faults: {} });
    expect(source.status().samples).toBeGreaterThanOrEqual(3);
  });

  it("two devices share one bus; faults are counted per device, retried, and polling goes on", async () => {
    const regs = [
      { name: "speed", address: 0, type: "u16", unit: "rpm" },
      { name: "power", table: "input", address: 10, type: "s32", scale: 0.1, unit: "kW" },
    ];
    const cfg = config([
      { name: "fan/vibration", sensor: { type: "modbus", bus: "rs485", slaveId: 1, profile: "vibration-transmitter-3axis", intervalMs: 5 } },
      { name: "fan/drive", sensor: { type: "modbus", bus: "rs485", slaveId: 2, registers: regs, intervalMs: 5, retries: 1 } },
    ]);
    const { ctx, closeAll } = ctxWith(cfg);
    const a = createModbusSource(cfg.streams[0], ctx);
    const b = createModbusSource(cfg.streams[1], ctx);
    const outA = new Collector();
    const outB = new Collector();
    await a.start(outA.emit);
    await b.start(outB.emit);
    const bus = ctx.shared.get("serial:rs485") as SharedSerialBus;
    expect(bus.sim!.slave(1)).toBeDefined();
    expect(bus.sim!.slave(2)).toBeDefined();
    bus.sim!.slave(1)!.faults.push({ kind: "crc" }, { kind: "garbage" }, { kind: "wrong-id", id: 2 });
    // Two failures in a row with one retry: that poll fails, the next succeeds.
    bus.sim!.slave(2)!.faults.push({ kind: "silence" }, { kind: "partial" }, { kind: "exception", code: 6 });
    const nA = outA.records.length;
    const nB = outB.records.length;
    await outA.waitFor(nA + 3);
    await outB.waitFor(nB + 3);
    await a.stop();
    await b.stop();
    await closeAll();
    expect(a.status().faults).toMatchObject({ crc: 1, garbage: 1, "id-mismatch": 1, retries: 2 });
    expect(a.status().faults["failed-polls"]).toBe(1);
    expect(b.status().faults).toMatchObject({ timeout: 1, partial: 1, exception: 1, "failed-polls": 1 });
    expect(b.status().faults.crc).toBeUndefined();
    expect(outB.records.every((r) => r.stream === "fan/drive")).toBe(true);
    expect((outB.records.at(-1) as SampleRecord).values).toHaveLength(2);
  });

  it("a storm of CRC errors is counted in full but logged once", async () => {
    const cfg = config([{ name: "m", sensor: { type: "modbus", bus: "rs485", slaveId: 3, profile: "vibration-transmitter-3axis", intervalMs: 1, retries: 0 } }]);
    const { ctx, closeAll } = ctxWith(cfg);
    const lines: string[] = [];
    ctx.log = pino({ level: "warn" }, { write: (l: string) => void lines.push(l) });
    const s = createModbusSource(cfg.streams[0], ctx);
    const out = new Collector();
    await s.start(out.emit);
    const bus = ctx.shared.get("serial:rs485") as SharedSerialBus;
    for (let i = 0; i < 20; i++) bus.sim!.slave(3)!.faults.push({ kind: "crc" });
    const n = out.records.length;
    await out.waitFor(n + 2); // samples resume after the storm
    await s.stop();
    await closeAll();
    expect(s.status().faults.crc).toBe(20);
    expect(s.status().faults["failed-polls"]).toBe(20);
    expect(lines.filter((l) => l.includes('"fault":"crc"')).length).toBe(1);
  });

  it("config: a modbus sensor needs a profile or a register map, and an unknown profile names the built-in ones", () => {
    expect(() => config([{ name: "x", sensor: { type: "modbus", bus: "rs485", slaveId: 1 } }])).toThrow(/profile.*registers/);
    expect(() => config([{ name: "x", sensor: { type: "modbus", bus: "rs485", slaveId: 1, profile: "nope" } }])).toThrow(/vibration-transmitter-3axis/);
  });

  it("a serial port that cannot be opened leaves the source offline with the reason, not a crash", async () => {
    const cfg = agentConfig.parse({
      buses: { serial: [{ name: "rs485", path: "/nonexistent/ttyUSB9" }] },
      streams: [{ name: "x", sensor: { type: "modbus", bus: "rs485", slaveId: 1, profile: "vibration-transmitter-3axis" } }],
      uplink: { brokers: [{ url: "mqtt://127.0.0.1:1883" }] },
    });
    const { ctx, closeAll } = ctxWith(cfg);
    const s = createModbusSource(cfg.streams[0], ctx);
    await s.start(() => {});
    const st = s.status();
    await s.stop();
    await closeAll();
    expect(st.state).toBe("offline");
    expect(st.detail).toMatch(/ttyUSB9/);
    expect(st.faults.open).toBe(1);
  });
});
