// The one schema of the config file: types, validation, defaults and the config reference all come from here.
import { z } from "zod";
import { priorityName, streamName } from "./common.js";
import { i2cBusConfig, i2cSensors } from "./i2c-sensors.js";
import { gpioDoorSensor } from "./gpio.js";
import { modbusSensor, serialBusConfig } from "./modbus.js";
import { doorProcessor } from "./processors-door.js";
import { sensorFaultProcessor, temperatureAlarmProcessor, vibrationProcessor } from "./processors-analytics.js";
import { codecOptions } from "./codec.js";
import { storeConfig } from "./store.js";
import { uplinkConfig } from "./uplink.js";
import { streamId } from "../../agent/codec/stream-id.js";

export const sensorConfig = z.discriminatedUnion("type", [
  ...i2cSensors,
  gpioDoorSensor,
  modbusSensor,
]);

export const processorConfig = z.discriminatedUnion("type", [
  doorProcessor,
  temperatureAlarmProcessor,
  sensorFaultProcessor,
  vibrationProcessor,
]);

export const streamConfig = z.strictObject({
  name: streamName.describe("unique per gateway; \"agent\" is reserved for the agent's own event stream"),
  group: z.string().min(1).optional().describe("cold room or machine this stream belongs to: links a door to the temperature alarms of its room"),
  sensor: sensorConfig,
  processors: z.array(processorConfig).default([]),
  codec: codecOptions.default(codecOptions.parse({})),
  priority: priorityName.optional().describe("overrides the priority implied by the sensor kind (store overflow order)"),
  enabled: z.boolean().default(true),
});

export const gatewayConfig = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, "expected letters, digits, '_', '.', '-'")
    .optional()
    .describe("stable, unique per device; default: derived from /etc/machine-id or the Raspberry Pi serial"),
  dataDir: z.string().default("/var/lib/edge-agent").describe("where the store and other state live"),
});

export const clockConfig = z.strictObject({
  syncFlagFile: z
    .string()
    .default("/run/systemd/timesync/synchronized")
    .describe("a file whose existence means the wall clock is synchronised (systemd-timesyncd creates this one)"),
  trustWallClock: z.boolean().default(false).describe("trust the wall clock without a sync signal (gateways with a battery-backed RTC)"),
  stepThresholdMs: z.number().int().positive().default(1000).describe("a jump between wall and monotonic time larger than this is a clock step"),
  checkIntervalMs: z.number().int().positive().default(1000).describe("how often the wall clock is compared with the monotonic clock"),
});

export const logConfig = z.strictObject({
  level: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  format: z.enum(["json", "pretty", "auto"]).default("auto"),
});

export const agentConfig = z
  .strictObject({
    gateway: gatewayConfig.default(gatewayConfig.parse({})),
    clock: clockConfig.default(clockConfig.parse({})),
    log: logConfig.default(logConfig.parse({})),
    buses: z
      .strictObject({
        i2c: z.array(i2cBusConfig).default([]),
        serial: z.array(serialBusConfig).default([]),
      })
      .default({ i2c: [], serial: [] }),
    streams: z.array(streamConfig).min(1),
    store: storeConfig.default(storeConfig.parse({})),
    uplink: uplinkConfig,
  })
  .superRefine((cfg, ctx) => {
    const up = cfg.uplink;
    const plaintext = up.brokers.findIndex((b) => /^(mqtt|ws|tcp):\/\//.test(b.url));
    if ((up.username !== undefined || up.password !== undefined) && plaintext >= 0 && !up.allowInsecure) {
      ctx.addIssue({
        code: "custom",
        path: ["uplink", "brokers", plaintext, "url"],
        message: "credentials would travel in plaintext: use mqtts:// (with uplink.tls) or set uplink.allowInsecure: true",
      });
    }
    checkStreamIds(cfg.streams, ctx);
    const seen = new Map<string, number>();
    cfg.streams.forEach((s, i) => {
      const first = seen.get(s.name);
      if (s.name === AGENT_STREAM) {
        ctx.addIssue({ code: "custom", path: ["streams", i, "name"], message: `"${AGENT_STREAM}" is reserved for the agent's own event stream: choose another name` });
      } else if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["streams", i, "name"], message: `duplicate stream name "${s.name}" (also streams[${first}].name)` });
      } else seen.set(s.name, i);
      s.processors.forEach((p, j) => {
        if (p.type === "vibration" && p.rpmFrom && !cfg.streams.some((o) => o.name === p.rpmFrom!.stream)) {
          ctx.addIssue({ code: "custom", path: ["streams", i, "processors", j, "rpmFrom", "stream"], message: `expected the name of a configured stream, got "${p.rpmFrom.stream}"` });
        }
      });
      const sensor = s.sensor as { type: string; bus?: string };
      if (sensor.bus !== undefined) {
        const kind = sensor.type === "modbus" ? "serial" : "i2c";
        const names = cfg.buses[kind].map((b) => b.name);
        if (!names.includes(sensor.bus)) {
          ctx.addIssue({
            code: "custom",
            path: ["streams", i, "sensor", "bus"],
            message: `expected one of the buses.${kind} names (${names.join(", ") || "none declared"}), got "${sensor.bus}"`,
          });
        }
      }
    });
  });

/** The agent's own event stream (clock steps, health), published beside the configured ones. */
export const AGENT_STREAM = "agent";

/** The streams a processor adds beside its own (named `<stream>/<suffix>` by agent/analytics). */
const DERIVED_SUFFIXES: Record<string, string[]> = { "temperature-alarm": ["alarms"], "sensor-fault": ["alarms"], vibration: ["alarms", "features", "diagnosis"] };

/**
 * A compact frame names its stream by a 32-bit id (CRC-32 of the name): two streams of one gateway, configured or
 * derived, with the same id could not be told apart by a consumer, so that config is refused.
 */
function checkStreamIds(streams: { name: string; processors: { type: string }[] }[], ctx: z.RefinementCtx): void {
  const byId = new Map<number, string>([[streamId(AGENT_STREAM), AGENT_STREAM]]);
  streams.forEach((s, i) => {
    const names = [s.name, ...new Set(s.processors.flatMap((p) => (DERIVED_SUFFIXES[p.type] ?? []).map((x) => `${s.name}/${x}`)))];
    for (const name of names) {
      const id = streamId(name);
      const other = byId.get(id);
      if (other !== undefined && other !== name) {
        ctx.addIssue({ code: "custom", path: ["streams", i, "name"], message: `stream "${name}" has the same id 0x${id.toString(16).padStart(8, "0")} (CRC-32 of the name) as "${other}": rename one of them` });
      } else byId.set(id, name);
    }
  });
}

export type AgentConfig = z.infer<typeof agentConfig>;
export type StreamConfig = z.infer<typeof streamConfig>;
export type SensorConfig = z.infer<typeof sensorConfig>;
export type ProcessorConfig = z.infer<typeof processorConfig>;
export type UplinkConfig = AgentConfig["uplink"];
export type StoreConfig = AgentConfig["store"];
export type CodecOptions = z.infer<typeof codecOptions>;
