// A Modbus RTU device polled periodically: one channel per register, integer counts with scale/offset/unit.
// Serial buses are shared between the devices on them (ctx.shared "serial:<bus>"), one request at a time.
import type { StreamConfig } from "../../config/schema/index.js";
import { DEVICE_PROFILES } from "../../drivers/serial/profiles.js";
import { decodeRegister, planReads, type RegisterSpec } from "../../drivers/serial/registers.js";
import { ModbusRtuMaster, type ModbusError } from "../../drivers/serial/rtu-master.js";
import { openSerial, type OpenedSerial } from "../../drivers/serial/port.js";
import { SimModbusBus, profileSlave } from "../../drivers/serial/slave.sim.js";
import { RateLimitedLog } from "../log.js";
import { Priority, type Emit, type StreamInfo } from "../model.js";
import type { RuntimeContext } from "../runtime/context.js";
import type { Source, SourceStatus } from "../pipeline/stages.js";

type ModbusSensorConfig = Extract<StreamConfig["sensor"], { type: "modbus" }>;
type SerialBusConfig = RuntimeContext["config"]["buses"]["serial"][number];

/** One serial bus, opened once for all devices on it. */
export class SharedSerialBus {
  master: ModbusRtuMaster | undefined;
  /** The slave emulator, when the bus is simulated. */
  sim: SimModbusBus | undefined;
  private opened: OpenedSerial | undefined;
  private opening: Promise<void> | undefined;
  private readonly faultListeners = new Map<number, (err: ModbusError) => void>();

  constructor(readonly cfg: SerialBusConfig, private readonly onError: (err: Error) => void) {}

  open(): Promise<void> {
    this.opening ??= (async () => {
      const line = { baudRate: this.cfg.baudRate, dataBits: this.cfg.dataBits, parity: this.cfg.parity, stopBits: this.cfg.stopBits };
      this.opened = await openSerial(this.cfg.path, line, this.cfg.simulate, this.onError);
      if (this.opened.mock) this.sim = new SimModbusBus(this.opened.mock);
      this.master = new ModbusRtuMaster(this.opened.stream, {
        ...line,
        timeoutMs: this.cfg.timeoutMs,
        retries: 0, // each device retries with its own count, so faults are attributed to it
        onFault: (err, slave) => this.faultListeners.get(slave)?.(err),
      });
    })().catch((e) => {
      this.opening = undefined;
      throw e;
    });
    return this.opening;
  }

  onFault(slave: number, fn: ((err: ModbusError) => void) | undefined): void {
    if (fn) this.faultListeners.set(slave, fn);
    else this.faultListeners.delete(slave);
  }

  async close(): Promise<void> {
    this.master?.detach();
    await this.opened?.close();
  }
}

export function sharedSerialBus(ctx: RuntimeContext, name: string): SharedSerialBus {
  const key = `serial:${name}`;
  let bus = ctx.shared.get(key) as SharedSerialBus | undefined;
  if (!bus) {
    const cfg = ctx.config.buses.serial.find((b) => b.name === name);
    if (!cfg) throw new Error(`no serial bus "${name}" under buses.serial`);
    const rlog = new RateLimitedLog(ctx.log, 60_000, ctx.now);
    bus = new SharedSerialBus(cfg, (err) => rlog.error(`serial:${name}`, "serial port error", { bus: name, err: err.message }));
    ctx.shared.set(key, bus);
    const b = bus;
    ctx.onClose(() => b.close());
  }
  return bus;
}

export function modbusRegisters(cfg: ModbusSensorConfig): RegisterSpec[] {
  if (cfg.registers) return cfg.registers;
  const profile = cfg.profile ? DEVICE_PROFILES[cfg.profile] : undefined;
  if (!profile) throw new Error(`unknown Modbus profile "${cfg.profile}"; built-in: ${Object.keys(DEVICE_PROFILES).join(", ")}`);
  return profile.registers;
}

const REOPEN_DELAY_MS = 30_000;

export function createModbusSource(stream: StreamConfig, ctx: RuntimeContext): Source {
  if (stream.sensor.type !== "modbus") throw new Error(`stream ${stream.name}: not a modbus sensor`);
  const cfg: ModbusSensorConfig = stream.sensor;
  const regs = modbusRegisters(cfg);
  const plan = planReads(regs);
  const info: StreamInfo = {
    name: stream.name,
    kind: "periodic",
    channels: regs.map((r) => ({ name: r.name, unit: r.unit, scale: r.scale, offset: r.offset })),
    priority: Priority.periodic,
    group: stream.group,
  };
  const status: SourceStatus = { state: "starting", faults: {}, samples: 0 };
  const rlog = new RateLimitedLog(ctx.log, 60_000, ctx.now);
  const id = `modbus:${stream.name}`;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = true;
  let bus: SharedSerialBus | undefined;

  const count = (kind: string) => (status.faults[kind] = (status.faults[kind] ?? 0) + 1);

  const poll = async (emit: Emit): Promise<void> => {
    const t = ctx.now();
    const words = new Map<string, number>();
    for (let attempt = 0; ; attempt++) {
      try {
        for (const b of plan) {
          const got = await bus!.master!.readRegisters(cfg.slaveId, b.table, b.address, b.count);
          got.forEach((w, i) => words.set(`${b.table}:${b.address + i}`, w));
        }
        break;
      } catch (e) {
        const err = e as ModbusError;
        if (attempt >= cfg.retries || !err.transient || stopped) {
          count("failed-polls");
          status.state = "degraded";
          status.detail = err.message;
          rlog.warn(`${id}:fail`, "modbus poll failed", { stream: stream.name, err: err.message });
          return;
        }
        count("retries");
      }
    }
    const values = regs.map((r) => decodeRegister(r, (a) => words.get(`${r.table}:${a}`)!));
    status.samples++;
    status.state = "online";
    status.detail = undefined;
    emit({ kind: "sample", stream: stream.name, t, values });
  };

  const schedule = (emit: Emit) => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = poll(emit).finally(() => schedule(emit));
    }, cfg.intervalMs);
  };

  const begin = async (emit: Emit): Promise<void> => {
    try {
      bus = sharedSerialBus(ctx, cfg.bus);
      await bus.open();
    } catch (e) {
      status.state = "offline";
      status.detail = (e as Error).message;
      count("open");
      rlog.error(`${id}:open`, "cannot open serial bus", { stream: stream.name, err: (e as Error).message });
      if (!stopped) timer = setTimeout(() => void begin(emit), REOPEN_DELAY_MS);
      return;
    }
    if (bus.sim && !bus.sim.slave(cfg.slaveId)) bus.sim.addSlave(cfg.slaveId, profileSlave({ model: "sim", description: "", registers: regs }, cfg.slaveId));
    bus.onFault(cfg.slaveId, (err) => {
      count(err.fault);
      rlog.warn(`${id}:${err.fault}`, "modbus fault", { stream: stream.name, fault: err.fault, err: err.message });
    });
    if (stopped) return;
    inFlight = poll(emit).finally(() => schedule(emit));
  };

  return {
    id,
    streams: [info],
    async start(emit: Emit) {
      stopped = false;
      await begin(emit);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      bus?.onFault(cfg.slaveId, undefined);
      status.state = "stopped";
    },
    status: () => ({ ...status, faults: { ...status.faults } }),
  };
}
