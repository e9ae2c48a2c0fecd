import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { agentConfig } from "../../config/schema/index.js";
import type { BlockRecord, EventRecord, PipelineRecord, SampleRecord } from "../../agent/model.js";
import { RoomState } from "../../agent/pipeline/room-state.js";
import type { Source } from "../../agent/pipeline/stages.js";
import type { RuntimeContext } from "../../agent/runtime/context.js";
import { createI2cSource } from "../../agent/sources/i2c.js";
import type { Adxl345Sim } from "../../drivers/i2c/adxl345.sim.js";
import type { Sht3xSim } from "../../drivers/i2c/sht3x.sim.js";
import { constantClimate } from "../../drivers/i2c/signals.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";
import { Sht3xSim as Sht3xSimClass } from "../../drivers/i2c/sht3x.sim.js";
import type { I2cBus } from "../../drivers/i2c/port.js";

const fast = { retries: 1, offlineAfter: 2, reprobeMs: 30 };

const logLines: { key?: string; msg?: string }[] = [];
const captureLog = pino(
  { level: "warn" },
  new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split("\n")) if (line) logLines.push(JSON.parse(line));
      cb();
    },
  }),
);

function makeContext(streams: unknown[], bus: Record<string, unknown> = { name: "b", simulate: true }) {
  const config = agentConfig.parse({ buses: { i2c: [bus] }, streams, uplink: { brokers: [{ url: "mqtt://127.0.0.1:1883" }] } });
  const closers: (() => unknown)[] = [];
  const ctx: RuntimeContext = {
    config,
    log: captureLog,
    now: () => Date.now(),
    rooms: new RoomState(),
    gatewayId: "gw-test",
    dataDir: "/nonexistent",
    shared: new Map(),
    onClose: (fn) => void closers.push(fn),
  };
  return { ctx, config, close: async () => { for (const c of closers) await c(); } };
}

/** Collects records and resolves waits as soon as a condition holds (no sleeping). */
class Collector {
  readonly records: PipelineRecord[] = [];
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];
  readonly emit = (r: PipelineRecord): void => {
    this.records.push(r);
    this.waiters = this.waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
  };
  until(pred: () => boolean): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
  samples(stream: string): SampleRecord[] {
    return this.records.filter((r): r is SampleRecord => r.kind === "sample" && r.stream === stream);
  }
  blocks(stream: string): BlockRecord[] {
    return this.records.filter((r): r is BlockRecord => r.kind === "block" && r.stream === stream);
  }
  statuses(stream: string): EventRecord[] {
    return this.records.filter((r): r is EventRecord => r.kind === "event" && r.type === "status" && r.stream === stream);
  }
}

const streams = [
  { name: "room/temp", group: "room", sensor: { type: "sht3x", bus: "b", address: 0x44, intervalMs: 20, ...fast } },
  { name: "motor/vib", sensor: { type: "adxl345", bus: "b", address: 0x53, rateHz: 800, rangeG: 16, pollMs: 10, ...fast } },
];

let running: Source[] = [];
let closeCtx: (() => Promise<void>) | undefined;
afterEach(async () => {
  for (const s of running) await s.stop();
  running = [];
  await closeCtx?.();
});

function startAll(cfgStreams: unknown[], bus?: Record<string, unknown>) {
  const { ctx, config, close } = makeContext(cfgStreams, bus);
  closeCtx = close;
  const out = new Collector();
  const sources = config.streams.map((s) => createI2cSource(s, ctx));
  running = sources;
  return { ctx, out, sources, start: () => Promise.all(sources.map((s) => s.start(out.emit))) };
}

describe("I2C source on a simulated bus", () => {
  it("declares its streams and produces samples and blocks from the auto-populated emulators", async () => {
    const { ctx, out, sources, start } = startAll(streams);
    const [temp, vib] = sources;
    expect(temp.streams[0]).toMatchObject({ name: "room/temp", kind: "periodic", priority: 3, group: "room" });
    expect(temp.streams[0].channels.map((c) => c.name)).toEqual(["temperature", "humidity"]);
    expect(vib.streams[0]).toMatchObject({ kind: "waveform", priority: 4 });
    const bus = ctx.shared.get("sim:i2c:b") as SimI2cBus;
    expect(bus.addresses()).toEqual([0x44, 0x53]);
    await start();
    await out.until(() => out.samples("room/temp").length >= 3 && out.blocks("motor/vib").length >= 5);
    const ch = temp.streams[0].channels[0];
    for (const s of out.samples("room/temp")) {
      const t = s.values[0] * ch.scale + ch.offset;
      expect(t).toBeGreaterThan(2); // the default cold-room signal is about 4 degC
      expect(t).toBeLessThan(6);
    }
    const blocks = out.blocks("motor/vib");
    for (let i = 1; i < blocks.length; i++) {
      const prev = blocks[i - 1];
      const b = blocks[i];
      expect(b.rateHz).toBe(800);
      expect(b.channels).toHaveLength(3);
      // Consecutive blocks either continue each other exactly or carry an explicit gap.
      if (!b.gapBefore) expect(b.t0).toBeCloseTo(prev.t0 + (prev.channels[0].length * 1000) / 800, 6);
    }
    expect(vib.status().state).toBe("online");
    expect(vib.status().detail).toMatch(/odr 800 Hz, achieved/);
  });

  it("a CRC error never yields a value and is counted", async () => {
    const { ctx, out, sources, start } = startAll([streams[0]]);
    const sim = (ctx.shared.get("sim:i2c:b") as SimI2cBus).device<Sht3xSim>(0x44)!;
    sim.setSignal(constantClimate({ temperature: 4.2, humidity: 80 }));
    await start();
    await out.until(() => out.samples("room/temp").length >= 1);
    sim.injectBitFlips(3);
    await out.until(() => (sources[0].status().faults.crc ?? 0) >= 3 && out.samples("room/temp").length >= 4);
    const expected = Math.round(((4.2 + 45) * 65535) / 175);
    for (const s of out.samples("room/temp")) expect(s.values[0]).toBe(expected);
    // Logged once (rate-limited), however many times it happened.
    expect(logLines.filter((l) => l.key === "i2c:room/temp:crc")).toHaveLength(1);
  });

  it("a transient NACK is retried within the same read: the sample still comes, no status change", async () => {
    const { ctx, out, sources, start } = startAll([streams[0]]);
    const sim = (ctx.shared.get("sim:i2c:b") as SimI2cBus).device<Sht3xSim>(0x44)!;
    await start();
    await out.until(() => out.samples("room/temp").length >= 1);
    const before = out.samples("room/temp").length;
    sim.injectNack(1);
    await out.until(() => out.samples("room/temp").length >= before + 2);
    expect(sources[0].status().faults.nack).toBe(1);
    expect(out.statuses("room/temp")).toHaveLength(0);
    expect(sources[0].status().state).toBe("online");
  });

  it("emits nothing after stop()", async () => {
    const { out, sources, start } = startAll(streams);
    await start();
    await out.until(() => out.samples("room/temp").length >= 1 && out.blocks("motor/vib").length >= 1);
    for (const s of sources) await s.stop();
    const n = out.records.length;
    // Give any stray timer the chance to fire: let an independent source (own context, own bus) deliver three
    // readings at the same interval; the stopped ones must stay silent meanwhile.
    const probe = startAll([{ ...streams[0], name: "other/temp" }]);
    await probe.start();
    await probe.out.until(() => probe.out.samples("other/temp").length >= 3);
    expect(out.records.length).toBe(n);
    expect(sources.map((s) => s.status().state)).toEqual(["stopped", "stopped"]);
  });

  it("a disappearing sensor goes offline, its neighbour keeps going, and it comes back without a restart", async () => {
    const { ctx, out, sources, start } = startAll(streams);
    const bus = ctx.shared.get("sim:i2c:b") as SimI2cBus;
    const sht = bus.device<Sht3xSim>(0x44)!;
    await start();
    await out.until(() => out.samples("room/temp").length >= 1);
    sht.disappear();
    await out.until(() => out.statuses("room/temp").length >= 1);
    expect(out.statuses("room/temp")[0].data).toMatchObject({ state: "offline" });
    expect(String(out.statuses("room/temp")[0].data.reason)).toMatch(/nack/);
    expect(sources[0].status().state).toBe("offline");
    expect(sources[0].status().faults.nack).toBeGreaterThanOrEqual(2);
    const blocksAtOffline = out.blocks("motor/vib").length;
    await out.until(() => out.blocks("motor/vib").length >= blocksAtOffline + 5);
    expect(sources[1].status().state).toBe("online");
    expect(sources[1].status().faults).toEqual({});
    const samplesBefore = out.samples("room/temp").length;
    sht.reappear();
    await out.until(() => out.statuses("room/temp").length >= 2 && out.samples("room/temp").length > samplesBefore);
    expect(out.statuses("room/temp")[1].data).toEqual({ state: "online" });
    expect(sources[0].status().state).toBe("online");
  });

  it("a stuck bus takes its sensors offline with timeouts; released, they recover", async () => {
    const { ctx, out, sources, start } = startAll(streams);
    const bus = ctx.shared.get("sim:i2c:b") as SimI2cBus;
    await start();
    await out.until(() => out.samples("room/temp").length >= 1 && out.blocks("motor/vib").length >= 1);
    bus.stuck = true;
    await out.until(() => out.statuses("room/temp").length >= 1 && out.statuses("motor/vib").length >= 1);
    expect(sources.map((s) => s.status().faults.timeout ?? 0).every((n) => n >= 2)).toBe(true);
    bus.stuck = false;
    await out.until(() => out.statuses("room/temp").length >= 2 && out.statuses("motor/vib").length >= 2);
    const vibAfter = out.blocks("motor/vib").length;
    await out.until(() => out.blocks("motor/vib").length > vibAfter);
    // The first block after recovery says that samples are missing before it.
    const recovered = out.records.slice(out.records.indexOf(out.statuses("motor/vib")[1])).find((r): r is BlockRecord => r.kind === "block");
    expect(recovered?.gapBefore?.reason).toBeDefined();
  });

  it("a wrong chip ID takes the sensor offline at once (not transient)", async () => {
    const { ctx, out, sources, start } = startAll([streams[1]]);
    (ctx.shared.get("sim:i2c:b") as SimI2cBus).device<Adxl345Sim>(0x53)!.setChipId(0xe6);
    await start();
    await out.until(() => out.statuses("motor/vib").length >= 1);
    expect(String(out.statuses("motor/vib")[0].data.reason)).toMatch(/id-mismatch/);
    expect(sources[0].status().faults["id-mismatch"]).toBe(1);
  });

  it("a bus that cannot be opened is an offline sensor, not a crash", async () => {
    const { out, sources, start } = startAll([{ ...streams[0], sensor: { ...streams[0].sensor, bus: "real" } }], { name: "real", bus: 250 });
    await start();
    await out.until(() => out.statuses("room/temp").length >= 1);
    expect(String(out.statuses("room/temp")[0].data.reason)).toMatch(/cannot open I2C bus real/);
    expect(sources[0].status().faults.bus).toBeGreaterThanOrEqual(2);
  });

  it("uses a bus object of the port's shape supplied in ctx.shared (a bridge adapter) instead of /dev/i2c-N", async () => {
    const { ctx, config, close } = makeContext([{ ...streams[0], sensor: { ...streams[0].sensor, bus: "usb" } }], { name: "usb", bus: 250 });
    closeCtx = close;
    const inner = new SimI2cBus();
    inner.attach(new Sht3xSimClass(0x44, ctx.now)).setSignal(constantClimate({ temperature: 7.5 }));
    // Only the port's methods, nothing of the emulator: what a user would write around a USB bridge.
    const adapter: I2cBus = {
      readByte: (a, c) => inner.readByte(a, c),
      writeByte: (a, c, b) => inner.writeByte(a, c, b),
      readWord: (a, c) => inner.readWord(a, c),
      writeWord: (a, c, w) => inner.writeWord(a, c, w),
      readI2cBlock: (a, c, l, b) => inner.readI2cBlock(a, c, l, b),
      i2cRead: (a, l, b) => inner.i2cRead(a, l, b),
      i2cWrite: (a, l, b) => inner.i2cWrite(a, l, b),
      close: () => inner.close(),
    };
    ctx.shared.set("i2c:usb", adapter);
    const out = new Collector();
    const source = createI2cSource(config.streams[0], ctx);
    running = [source];
    await source.start(out.emit);
    await out.until(() => out.samples("room/temp").length >= 2);
    const ch = source.streams[0].channels[0];
    expect(out.samples("room/temp")[0].values[0] * ch.scale + ch.offset).toBeCloseTo(7.5, 2);
  });
});
