import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { uplinkConfig } from "../../config/schema/uplink.js";
import type { UplinkConfig } from "../../config/schema/index.js";
import { MqttUplink } from "../../agent/uplink/mqtt-uplink.js";
import type { FrameStore } from "../../agent/store/frame-store-types.js";
import { readSecret } from "../../config/load.js";

/** A logger whose lines are kept in memory, to assert what was (and was not) logged. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      cb();
    },
  });
  return { log: pino({ level: "debug" }, dest), lines };
}

export function uplinkCfg(urls: string[], extra: Record<string, unknown> = {}): UplinkConfig {
  return uplinkConfig.parse({ brokers: urls.map((url) => ({ url })), reconnectMinMs: 50, reconnectMaxMs: 500, ...extra }) as UplinkConfig;
}

export function makeUplink(store: FrameStore, cfg: UplinkConfig, log: Logger, gatewayId = "gw1"): MqttUplink {
  return new MqttUplink({ config: cfg, gatewayId, store, log, resolveSecret: readSecret });
}

export function once(emitter: MqttUplink, event: "connect" | "disconnect" | "connection-error" | "publish-error"): Promise<void> {
  return new Promise((resolve) => emitter.once(event, () => resolve()));
}

/** Resolves when `cond` holds, re-checked on each of the uplink's events. */
export function when(u: MqttUplink, cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const events = ["ack", "connect", "disconnect", "connection-error"] as const;
    const check = (): void => {
      if (!cond()) return;
      for (const e of events) u.off(e, check);
      resolve();
    };
    for (const e of events) u.on(e, check);
    check();
  });
}
