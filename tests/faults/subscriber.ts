// A real consumer for tests: subscribes to everything under the prefix, reads the de-duplication identity from
// the MQTT 5 user properties, and drops duplicates with the codec's Deduplicator.
import mqtt, { type MqttClient } from "mqtt";
import { Deduplicator } from "../../agent/codec/dedup.js";
import { parseFrameTopic } from "../../agent/uplink/topics.js";

export interface Received {
  gatewayId: string;
  stream: string;
  kind: "live" | "backlog" | "gap";
  seq: number;
  codec: string;
  historical: boolean;
  payload: Buffer;
  at: number;
}

export class Subscriber {
  readonly frames: Received[] = [];
  readonly status: string[] = [];
  duplicates = 0;
  private readonly dedup = new Deduplicator();
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];

  private constructor(
    readonly client: MqttClient,
    readonly prefix: string,
  ) {
    client.on("message", (topic, payload, packet) => {
      if (topic === `${prefix}/${topic.split("/")[1]}/status`) this.status.push(payload.toString());
      else {
        const t = parseFrameTopic(prefix, topic);
        const up = (packet.properties?.userProperties ?? {}) as Record<string, string>;
        if (t && up.seq !== undefined) {
          if (this.dedup.accept(t.gatewayId, t.stream, Number(up.seq))) {
            this.frames.push({ ...t, seq: Number(up.seq), codec: up.codec, historical: up.historical === "1", payload, at: performance.now() });
          } else this.duplicates++;
        }
      }
      this.check();
    });
  }

  static async connect(url: string, prefix = "edge", options: mqtt.IClientOptions = {}): Promise<Subscriber> {
    const client = await mqtt.connectAsync(url, { protocolVersion: 5, clean: true, reconnectPeriod: 100, ...options });
    const s = new Subscriber(client, prefix);
    await client.subscribeAsync(`${prefix}/#`, { qos: 1 });
    return s;
  }

  /** Resolves once the predicate holds (checked on every message). */
  until(pred: () => boolean): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred()) return true;
      w.resolve();
      return false;
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
