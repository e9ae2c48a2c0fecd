// Publishes frames from the store over MQTT at QoS 1: live frames at once, the backlog oldest first and paced,
// a frame leaving the store only on its PUBACK. Several brokers are tried in turn; MQTT 5 falls back to 3.1.1.
import { EventEmitter } from "node:events";
import mqtt, { type IClientPublishOptions, type MqttClient } from "mqtt";
import type { Logger } from "../log.js";
import { RateLimitedLog } from "../log.js";
import type { UplinkConfig } from "../../config/schema/index.js";
import type { SecretRef } from "../../config/schema/common.js";
import type { FrameStore, StoredFrame } from "../store/frame-store-types.js";
import { GAP_CODEC } from "../store/gap-record.js";
import { brokerLabel, checkTransportSecurity, connectOptions, type BrokerConfig } from "./connect-options.js";
import { Pacer } from "./pacer.js";
import { CONTENT_TYPE_FRAME, CONTENT_TYPE_JSON, STATUS_OFFLINE, STATUS_ONLINE, frameTopic, statusTopic } from "./topics.js";

export interface MqttUplinkOptions {
  config: UplinkConfig;
  gatewayId: string;
  store: FrameStore;
  log: Logger;
  resolveSecret: (ref: SecretRef) => string;
}

export interface UplinkStatus {
  connected: boolean;
  broker: string | null;
  protocolVersion: 4 | 5 | null;
  inFlight: number;
  published: number;
  acked: number;
  /** Frames sent from the backlog (marked historical). */
  replayed: number;
  connects: number;
  lastError: string | null;
}

/** Connection refused because the broker does not speak MQTT 5 (3.1.1 CONNACK code 1, MQTT 5 reason 0x84). */
function isProtocolRefusal(e: unknown): boolean {
  const err = e as { code?: number; message?: string };
  return err.code === 1 || err.code === 132 || /unacceptable protocol version|unsupported protocol version/i.test(err.message ?? "");
}

/** Events: "connect", "disconnect", "ack" (StoredFrame), "connection-error" (message), "publish-error" (message). */
export class MqttUplink extends EventEmitter {
  private readonly cfg: UplinkConfig;
  private readonly log: Logger;
  private readonly rl: RateLimitedLog;
  private readonly store: FrameStore;
  private readonly gatewayId: string;
  private client: MqttClient | null = null;
  private protocolOf = new Map<string, 4 | 5>();
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly inFlight = new Set<number>();
  private liveCursor = 0;
  private backlogCursor = 0;
  private boundary = 0;
  private backlogBuf: StoredFrame[] = [];
  private pacer: Pacer;
  private paceTimer: NodeJS.Timeout | null = null;
  private pumping = false;
  private st: UplinkStatus = {
    connected: false,
    broker: null,
    protocolVersion: null,
    inFlight: 0,
    published: 0,
    acked: 0,
    replayed: 0,
    connects: 0,
    lastError: null,
  };

  constructor(private readonly opts: MqttUplinkOptions) {
    super();
    this.cfg = opts.config;
    this.store = opts.store;
    this.gatewayId = opts.gatewayId;
    this.log = opts.log.child({ component: "uplink" });
    this.rl = new RateLimitedLog(this.log);
    this.pacer = new Pacer(this.cfg.replayMessagesPerS, this.cfg.replayBytesPerS);
  }

  /** Starts connecting in the background; resolves at once (the agent runs offline too). Throws on insecure config. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    checkTransportSecurity(this.cfg);
    this.stopped = false;
    this.unsubscribe = this.store.onCommit(() => this.pump());
    this.loop = this.connectLoop();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.clearPaceTimer();
    this.wake?.();
    const c = this.client;
    if (c && c.connected) {
      // A clean shutdown sends no will, so say "offline" ourselves.
      await new Promise<void>((resolve) => {
        c.publish(statusTopic(this.cfg.topicPrefix, this.gatewayId), STATUS_OFFLINE, { qos: 1, retain: true }, () => resolve());
        c.once("close", () => resolve());
      });
    }
    if (c) await new Promise<void>((resolve) => c.end(true, {}, () => resolve()));
    await this.loop;
  }

  status(): UplinkStatus {
    return { ...this.st, inFlight: this.inFlight.size };
  }

  // ---- connection management ----

  private async connectLoop(): Promise<void> {
    let delay = this.cfg.reconnectMinMs;
    let i = 0;
    while (!this.stopped) {
      const broker = this.cfg.brokers[i % this.cfg.brokers.length];
      const ok = await this.session(broker);
      if (this.stopped) break;
      if (ok) delay = this.cfg.reconnectMinMs;
      else {
        i++; // fail over to the next broker
        if (i % this.cfg.brokers.length !== 0) continue;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
      if (!ok) delay = Math.min(delay * 2, this.cfg.reconnectMaxMs);
    }
  }

  /** One connection to one broker, until it closes. Resolves true if it got connected. */
  private session(broker: BrokerConfig): Promise<boolean> {
    const label = brokerLabel(broker.url);
    const version = this.protocolOf.get(broker.url) ?? this.cfg.protocolVersion;
    let options;
    try {
      options = connectOptions({ cfg: this.cfg, broker, gatewayId: this.gatewayId, protocolVersion: version, resolveSecret: this.opts.resolveSecret });
    } catch (e) {
      this.st.lastError = (e as Error).message;
      this.rl.error(`uplink.options.${label}`, "cannot build connection options", { broker: label, err: (e as Error).message });
      return Promise.resolve(false);
    }
    return new Promise<boolean>((resolve) => {
      let connected = false;
      let refusedV5 = false;
      const client = mqtt.connect(broker.url, options);
      this.client = client;
      client.on("connect", () => {
        connected = true;
        this.onConnected(client, label, version);
      });
      client.on("error", (e) => {
        this.st.lastError = e.message;
        if (!connected && version === 5 && isProtocolRefusal(e)) {
          refusedV5 = true;
          return;
        }
        this.rl.warn(`uplink.error.${label}`, "MQTT connection error", { broker: label, err: e.message });
        this.emit("connection-error", e.message);
      });
      client.on("close", () => {
        client.removeAllListeners();
        client.on("error", () => {});
        client.end(true);
        if (this.client === client) this.client = null;
        if (connected) this.onDisconnected(label);
        if (refusedV5) {
          this.protocolOf.set(broker.url, 4);
          this.log.warn({ broker: label }, "broker refused MQTT 5; using MQTT 3.1.1 for it from now on");
          // Not a failure of the broker: retry at once with 3.1.1.
          resolve(this.stopped ? false : this.session(broker));
          return;
        }
        resolve(connected);
      });
    });
  }

  private onConnected(client: MqttClient, label: string, version: 4 | 5): void {
    this.st.connected = true;
    this.st.broker = label;
    this.st.protocolVersion = version;
    this.st.connects++;
    this.log.info({ broker: label, protocolVersion: version }, "uplink connected");
    client.publish(statusTopic(this.cfg.topicPrefix, this.gatewayId), STATUS_ONLINE, { qos: 1, retain: true });
    // Everything already stored is backlog; anything committed from now on is live.
    this.boundary = this.store.lastId();
    this.backlogCursor = 0;
    this.liveCursor = this.boundary;
    this.backlogBuf = [];
    this.emit("connect");
    this.pump();
  }

  private onDisconnected(label: string): void {
    this.st.connected = false;
    this.inFlight.clear();
    this.store.unpinAll();
    this.backlogBuf = [];
    this.clearPaceTimer();
    this.log.warn({ broker: label }, "uplink disconnected; frames stay in the store");
    this.emit("disconnect");
  }

  // ---- publishing ----

  private get window(): number {
    return this.cfg.inFlight;
  }

  /** Slots kept free of backlog so live frames and events never wait behind a replay. */
  private get backlogWindow(): number {
    return Math.max(1, this.window - Math.max(1, Math.floor(this.window / 4)));
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      this.pumpOnce();
    } catch (e) {
      this.rl.error("uplink.pump", "reading frames from the store failed", { err: String(e) });
    } finally {
      this.pumping = false;
    }
  }

  private pumpOnce(): void {
    const client = this.client;
    if (!client || !client.connected || this.stopped) return;
    // Nothing committed since the last look (the common case on a PUBACK): no query.
    while (this.inFlight.size < this.window && this.liveCursor < this.store.lastId()) {
      const live = this.store.fetch(this.liveCursor, this.window - this.inFlight.size);
      if (!live.length) break;
      for (const f of live) {
        this.liveCursor = f.id;
        this.send(client, f, false);
      }
    }
    while (this.inFlight.size < this.backlogWindow && this.paceTimer === null) {
      if (!this.backlogBuf.length) {
        if (this.backlogCursor >= this.boundary) break;
        this.backlogBuf = this.store.fetch(this.backlogCursor, this.window, this.boundary);
        if (!this.backlogBuf.length) {
          this.backlogCursor = this.boundary;
          break;
        }
        this.backlogCursor = this.backlogBuf[this.backlogBuf.length - 1].id;
      }
      const f = this.backlogBuf[0];
      const wait = this.pacer.take(f.bytes.byteLength);
      if (wait > 0) {
        this.paceTimer = setTimeout(() => {
          this.paceTimer = null;
          this.pump();
        }, wait);
        break;
      }
      this.backlogBuf.shift();
      this.send(client, f, true);
    }
  }

  private send(client: MqttClient, f: StoredFrame, historical: boolean): void {
    const gap = f.codec === GAP_CODEC;
    const topic = frameTopic(this.cfg.topicPrefix, this.gatewayId, f.stream, gap ? "gap" : historical ? "backlog" : "live");
    const opts: IClientPublishOptions = { qos: 1 };
    if (this.st.protocolVersion === 5) {
      opts.properties = {
        contentType: gap ? CONTENT_TYPE_JSON : CONTENT_TYPE_FRAME,
        userProperties: {
          seq: String(f.seq),
          codec: f.codec,
          samples: String(f.samples),
          historical: historical ? "1" : "0",
          untrusted: f.untrusted ? "1" : "0",
        },
      };
    }
    this.store.pin(f);
    this.inFlight.add(f.id);
    this.st.published++;
    if (historical) this.st.replayed++;
    client.publish(topic, Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength), opts, (err) => {
      if (!this.inFlight.delete(f.id)) return; // the session ended; the frame was released back to the store
      if (err) {
        // A refusal (e.g. MQTT 5 PUBACK "not authorized") keeps the frame for a later session, never drops it.
        this.rl.warn("uplink.publish", "publish refused; frame stays in the store", { err: err.message, topic });
        this.st.lastError = err.message;
        this.emit("publish-error", err.message);
        return;
      }
      this.store.ack(f.id);
      this.st.acked++;
      this.emit("ack", f);
      this.pump();
    });
  }

  private clearPaceTimer(): void {
    if (this.paceTimer) clearTimeout(this.paceTimer);
    this.paceTimer = null;
  }
}
