// Sensor-fault alarms: a value stuck for too long, a value outside the sensor's range, repeated CRC errors, and a
// sensor gone offline (the source says so, or nothing arrived for too long).
import type { SensorFaultConfig } from "../../config/schema/processors-analytics.js";
import { RateLimitedLog } from "../log.js";
import { Priority, type Emit, type EventRecord, type EventSeverity, type StreamInfo } from "../model.js";
import type { Processor } from "../pipeline/stages.js";
import type { RuntimeContext } from "../runtime/context.js";
import { channelReader } from "./channel-value.js";

export type SensorFault = "sensor.stuck" | "sensor.range" | "sensor.crc" | "sensor.offline";

export function createSensorFaultProcessor(cfg: SensorFaultConfig, stream: StreamInfo, ctx: RuntimeContext): Processor {
  const alarmStream: StreamInfo = { name: `${stream.name}/alarms`, kind: "event", channels: [], priority: Priority.alarm, group: stream.group };
  const channel = channelReader(stream, cfg.channel, "sensor-fault");
  const rl = new RateLimitedLog(ctx.log, 60_000, ctx.now);
  const raised = new Set<SensorFault>();
  let lastCount: number | undefined;
  let lastChange: number | undefined;
  let lastSample: number | undefined;
  let crcTimes: number[] = [];
  let lastCrcCounter: number | undefined;
  let rejected = 0;

  function raise(fault: SensorFault, t: number, data: Record<string, unknown>, emit: Emit, severity: EventSeverity = cfg.severity): void {
    if (raised.has(fault)) return;
    raised.add(fault);
    emit({ kind: "event", stream: alarmStream.name, t, type: "alarm.raise", severity, data: { alarm: fault, channel: channel.name, ...data } });
  }

  function clear(fault: SensorFault, t: number, data: Record<string, unknown>, emit: Emit): void {
    if (!raised.delete(fault)) return;
    emit({ kind: "event", stream: alarmStream.name, t, type: "alarm.clear", severity: "info", data: { alarm: fault, channel: channel.name, ...data } });
  }

  /** CRC faults reported since the last status: an explicit fault kind, or the growth of the source's crc counter. */
  function crcFaults(e: EventRecord): number {
    const d = e.data ?? {};
    // The I2C source's offline status carries the last fault as reason "crc: <message>".
    if (d.kind === "crc" || d.fault === "crc" || (typeof d.reason === "string" && /^crc\b/.test(d.reason))) return 1;
    const counter = (d.faults as Record<string, unknown> | undefined)?.crc;
    if (typeof counter !== "number") return 0;
    const grown = lastCrcCounter === undefined ? 0 : Math.max(0, counter - lastCrcCounter);
    lastCrcCounter = counter;
    return grown;
  }

  function onStatus(e: EventRecord, emit: Emit): void {
    const state = e.data?.state;
    if (state === "offline") raise("sensor.offline", e.t, { detail: e.data?.detail ?? "source offline" }, emit);
    if (state === "online") clear("sensor.offline", e.t, {}, emit);
    const windowMs = cfg.crcWindowS * 1000;
    for (let i = crcFaults(e); i > 0; i--) crcTimes.push(e.t);
    crcTimes = crcTimes.filter((t) => e.t - t < windowMs);
    if (crcTimes.length >= cfg.crcErrors) raise("sensor.crc", e.t, { errors: crcTimes.length, windowS: cfg.crcWindowS }, emit);
  }

  function onValue(t: number, count: number, value: number, emit: Emit): void {
    lastSample = t;
    clear("sensor.offline", t, {}, emit);
    // A good reading after the CRC window has passed clears the CRC alarm.
    crcTimes = crcTimes.filter((c) => t - c < cfg.crcWindowS * 1000);
    if (crcTimes.length === 0) clear("sensor.crc", t, {}, emit);

    if (count !== lastCount) {
      lastCount = count;
      lastChange = t;
      clear("sensor.stuck", t, { value }, emit);
    } else if (cfg.stuckS > 0 && lastChange !== undefined && t - lastChange >= cfg.stuckS * 1000) {
      raise("sensor.stuck", t, { value, sinceS: Math.round((t - lastChange) / 1000) }, emit);
    }

    const below = cfg.min !== undefined && value < cfg.min;
    const above = cfg.max !== undefined && value > cfg.max;
    if (below || above) raise("sensor.range", t, { value, limit: below ? cfg.min : cfg.max, unit: channel.unit }, emit);
    else clear("sensor.range", t, { value }, emit);
  }

  return {
    id: `sensor-fault:${stream.name}`,
    streams: [alarmStream],
    process(record, emit) {
      emit(record);
      if (record.stream !== stream.name) return;
      if (record.kind === "event" && record.type === "status") {
        onStatus(record, emit);
        return;
      }
      if (record.kind !== "sample") return;
      const count = channel.count(record);
      const value = channel.read(record);
      if (count === undefined || value === undefined) {
        rejected++;
        rl.warn(`sensor-fault:${stream.name}`, "sample without a value for the checked channel", { stream: stream.name, channel: channel.name, rejected });
        return;
      }
      onValue(record.t, count, value, emit);
    },
    tick(now, emit) {
      if (cfg.silenceS > 0 && lastSample !== undefined && now - lastSample >= cfg.silenceS * 1000) {
        raise("sensor.offline", now, { detail: `no sample for ${Math.round((now - lastSample) / 1000)} s` }, emit);
      }
    },
  };
}
