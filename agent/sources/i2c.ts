// An I2C sensor as a pipeline source: periodic samples from temperature chips, FIFO blocks from accelerometers.
// Transient faults are retried with backoff; a sensor that keeps failing goes offline (a status event on its
// stream), is re-probed, and comes back without a restart. Nothing here ever throws into the agent.
import type { AgentConfig, StreamConfig } from "../../config/schema/index.js";
import { createAccelDriver, createPeriodicDriver, chipSpec, isAccelChip, type ChipType } from "../../drivers/i2c/chips.js";
import { systemClock, type DriverClock } from "../../drivers/i2c/clock.js";
import type { AccelDriver, PeriodicDriver } from "../../drivers/i2c/driver.js";
import { toDriverError } from "../../drivers/i2c/errors.js";
import { serializeBus } from "../../drivers/i2c/lock.js";
import { openI2cBus } from "../../drivers/i2c/open-bus.js";
import type { I2cBus } from "../../drivers/i2c/port.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";
import { DriverError } from "../../drivers/types.js";
import { RateLimitedLog } from "../log.js";
import { Priority, type Emit, type StreamInfo } from "../model.js";
import type { Source, SourceStatus } from "../pipeline/stages.js";
import type { RuntimeContext } from "../runtime/context.js";

type I2cSensorConfig = Extract<StreamConfig["sensor"], { type: ChipType }>;
type BusConfig = AgentConfig["buses"]["i2c"][number];

const I2C_TYPES = new Set<string>(["sht3x", "sht4x", "tmp102", "mcp9808", "bme280", "adxl345", "lis3dh", "mpu6050"]);

function isI2cSensor(s: StreamConfig["sensor"]): s is I2cSensorConfig {
  return I2C_TYPES.has(s.type);
}

/**
 * The emulated bus of a `simulate: true` bus, populated with an emulator for every enabled stream configured on it.
 * The demo and tests reach it as `ctx.shared.get("sim:i2c:<bus name>")`.
 */
function simulatedBus(busCfg: BusConfig, ctx: RuntimeContext): SimI2cBus {
  const key = `sim:i2c:${busCfg.name}`;
  const existing = ctx.shared.get(key) as SimI2cBus | undefined;
  if (existing) return existing;
  const bus = new SimI2cBus();
  for (const s of ctx.config.streams) {
    if (!s.enabled || !isI2cSensor(s.sensor) || s.sensor.bus !== busCfg.name) continue;
    if (bus.device(s.sensor.address)) continue;
    bus.attach(chipSpec(s.sensor.type).emulator(s.sensor.address, ctx.now));
  }
  ctx.shared.set(key, bus);
  return bus;
}

/**
 * The bus shared by every source on it, opened once (serialized), closed when the agent stops. A bus object put in
 * `ctx.shared` under `i2c:<name>` beforehand (e.g. a USB-to-I2C bridge adapter) is used instead of /dev/i2c-N.
 */
function sharedBus(busCfg: BusConfig, ctx: RuntimeContext): Promise<I2cBus> {
  const key = `i2c:${busCfg.name}`;
  const existing = ctx.shared.get(key) as Promise<I2cBus> | I2cBus | undefined;
  if (existing) return Promise.resolve(existing).then(serializeBus);
  const opening = (busCfg.simulate ? Promise.resolve<I2cBus>(simulatedBus(busCfg, ctx)) : openI2cBus(busCfg.bus)).then((raw) => {
    ctx.onClose(() => raw.close().catch(() => undefined));
    return serializeBus(raw);
  });
  ctx.shared.set(key, opening);
  // A bus that could not be opened is tried again by the next probe, not cached as failed.
  opening.catch(() => ctx.shared.delete(key));
  return opening;
}

export function createI2cSource(stream: StreamConfig, ctx: RuntimeContext): Source {
  const sensor = stream.sensor;
  if (!isI2cSensor(sensor)) throw new Error(`stream ${stream.name}: not an I2C sensor`);
  const busCfg = ctx.config.buses.i2c.find((b) => b.name === sensor.bus);
  if (!busCfg) throw new Error(`stream ${stream.name}: I2C bus "${sensor.bus}" is not declared`);
  if (busCfg.simulate) simulatedBus(busCfg, ctx); // present at once, so the demo can program it before start

  const accel = isAccelChip(sensor.type);
  const clock: DriverClock = systemClock(ctx.now);
  // The driver is created once the bus is open; channels are known from a driver built on a placeholder bus.
  const makeDriver = (bus: I2cBus): PeriodicDriver | AccelDriver =>
    sensor.type === "adxl345" || sensor.type === "lis3dh" || sensor.type === "mpu6050"
      ? createAccelDriver(sensor.type, bus, sensor.address, clock, { rateHz: sensor.rateHz, rangeG: sensor.rangeG, axes: sensor.axes })
      : createPeriodicDriver(sensor.type, bus, sensor.address, clock, { extendedMode: sensor.type === "tmp102" ? sensor.extendedMode : false });
  const template = makeDriver(new SimI2cBus());
  const info: StreamInfo = {
    name: stream.name,
    kind: accel ? "waveform" : "periodic",
    channels: template.channels,
    priority: stream.priority ? Priority[stream.priority] : accel ? Priority.waveform : Priority.periodic,
    group: stream.group,
  };

  const rlog = new RateLimitedLog(ctx.log, 60_000, ctx.now);
  const status: SourceStatus = { state: "starting", faults: {}, samples: 0 };
  let driver: PeriodicDriver | AccelDriver | undefined;
  let ready = false;
  let everOnline = false;
  let failures = 0;
  let gapReason: string | undefined;
  let emit: Emit = () => {};
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const period =
    "pollMs" in sensor
      ? Math.max(1, Math.min(sensor.pollMs, Math.floor(((template as AccelDriver).fifoSamples / 2) * (1000 / (template as AccelDriver).rateHz))))
      : sensor.intervalMs;

  const fault = (e: DriverError): void => {
    status.faults[e.kind] = (status.faults[e.kind] ?? 0) + 1;
    rlog.warn(`i2c:${stream.name}:${e.kind}`, "I2C sensor fault", { stream: stream.name, chip: sensor.type, address: sensor.address, kind: e.kind, err: e.message });
  };

  const setState = (state: "online" | "offline", reason?: string): void => {
    const was = status.state;
    status.state = state;
    status.detail = reason;
    if (state === "online" && was === "offline") {
      ctx.log.info({ stream: stream.name }, "I2C sensor back online");
      emit({ kind: "event", stream: stream.name, t: ctx.now(), type: "status", severity: "info", data: { state: "online" } });
    } else if (state === "offline" && was !== "offline") {
      ctx.log.warn({ stream: stream.name, reason }, "I2C sensor offline");
      emit({ kind: "event", stream: stream.name, t: ctx.now(), type: "status", severity: "warning", data: { state: "offline", reason } });
    }
  };

  /** Runs fn with retries and exponential backoff on transient faults; throws the last DriverError. */
  const withRetries = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const e = toDriverError(err, `${sensor.type}@0x${sensor.address.toString(16)}`);
        fault(e);
        if (!e.transient || attempt >= sensor.retries || stopped) throw e;
        await clock.sleep(Math.min(period, 10 * 2 ** attempt));
      }
    }
  };

  const probe = async (): Promise<void> => {
    const bus = await sharedBus(busCfg, ctx).catch((err: unknown) => {
      const e = new DriverError("bus", `cannot open I2C bus ${busCfg.name} (/dev/i2c-${busCfg.bus}): ${(err as Error).message}`, true, { cause: err });
      fault(e);
      throw e;
    });
    driver ??= makeDriver(bus);
    await withRetries(() => driver!.init());
    ready = true;
    if (everOnline) gapReason = "sensor-offline";
  };

  const readOnce = async (): Promise<void> => {
    if (!ready) await probe();
    const d = driver!;
    if ("readBlock" in d) {
      const block = await withRetries(() => d.readBlock());
      markOnline();
      if (!block) return;
      const gap = block.gapBefore ?? (gapReason ? { reason: gapReason } : undefined);
      gapReason = undefined;
      status.samples += block.counts[0]?.length ?? 0;
      const s = d.stats();
      status.detail = `odr ${s.odrHz} Hz, achieved ${s.achievedHz.toFixed(0)} Hz, overflows ${s.overflows}`;
      emit({ kind: "block", stream: stream.name, t0: block.t0, rateHz: block.rateHz, channels: block.counts, ...(gap ? { gapBefore: gap } : {}) });
    } else {
      const values = await withRetries(() => d.read());
      markOnline();
      status.samples++;
      emit({ kind: "sample", stream: stream.name, t: ctx.now(), values });
    }
  };

  const markOnline = (): void => {
    failures = 0;
    everOnline = true;
    if (status.state !== "online") setState("online");
  };

  const cycle = async (): Promise<void> => {
    try {
      await readOnce();
    } catch (err) {
      const e = toDriverError(err, stream.name);
      failures++;
      if (!e.transient || failures >= sensor.offlineAfter) {
        ready = false; // re-probe (identify and configure again) on the next attempt
        setState("offline", `${e.kind}: ${e.message}`);
      }
    }
  };

  // Deadlines, not delays: a late or slow cycle does not push every later one back (a FIFO of 32 samples at 3200 Hz
  // fills in 10 ms, so drift matters).
  let due = 0;
  const schedule = (delay: number): void => {
    if (stopped) return;
    const now = performance.now();
    due = delay === 0 ? now : Math.max(now, due + delay);
    timer = setTimeout(() => {
      running = cycle().then(() => {
        if (status.state === "offline") due = performance.now();
        schedule(status.state === "offline" ? sensor.reprobeMs : period);
      });
    }, due - now);
  };

  return {
    id: `i2c:${stream.name}`,
    streams: [info],
    async start(e: Emit): Promise<void> {
      emit = e;
      stopped = false;
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
      status.state = "stopped";
    },
    status: () => ({ ...status, faults: { ...status.faults } }),
  };
}
