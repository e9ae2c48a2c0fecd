// Turns the uplink config into MQTT.js connect options for one broker, enforcing the transport-security rules.
import { readFileSync } from "node:fs";
import type { IClientOptions } from "mqtt";
import type { UplinkConfig } from "../../config/schema/index.js";
import type { SecretRef } from "../../config/schema/common.js";
import { STATUS_OFFLINE, statusTopic } from "./topics.js";

export type BrokerConfig = UplinkConfig["brokers"][number];

export class InsecureCredentialsError extends Error {
  override name = "InsecureCredentialsError";
}

export function isPlaintext(url: string): boolean {
  return /^(mqtt|ws|tcp):/i.test(url);
}

/** host:port only: a URL may carry user:password@, which must never reach a log line. */
export function brokerLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "<invalid url>";
  }
}

/** Throws when credentials would travel in clear text without the explicit `allowInsecure` opt-in. */
export function checkTransportSecurity(cfg: UplinkConfig): void {
  if (cfg.allowInsecure) return;
  for (const b of cfg.brokers) {
    const hasUrlCredentials = (() => {
      try {
        const u = new URL(b.url);
        return u.username !== "" || u.password !== "";
      } catch {
        return false;
      }
    })();
    if ((cfg.username !== undefined || cfg.password !== undefined || hasUrlCredentials) && isPlaintext(b.url)) {
      throw new InsecureCredentialsError(
        `refusing to send credentials over plaintext to ${brokerLabel(b.url)}: use mqtts:// (uplink.tls) or set uplink.allowInsecure: true`,
      );
    }
  }
}

export interface ConnectInput {
  cfg: UplinkConfig;
  broker: BrokerConfig;
  gatewayId: string;
  protocolVersion: 4 | 5;
  resolveSecret: (ref: SecretRef) => string;
}

/** MQTT.js passes unknown options through to tls.connect, which takes the key's passphrase. */
export type UplinkClientOptions = IClientOptions & { passphrase?: string };

export function connectOptions({ cfg, broker, gatewayId, protocolVersion, resolveSecret }: ConnectInput): UplinkClientOptions {
  const tls = cfg.tls;
  const opts: UplinkClientOptions = {
    protocolVersion,
    clientId: cfg.clientId ?? `edge-agent-${gatewayId}`,
    clean: true,
    keepalive: cfg.keepaliveS,
    // The uplink runs its own reconnect and failover loop, so a dead session never resends behind its back.
    reconnectPeriod: 0,
    connectTimeout: cfg.connectTimeoutMs,
    queueQoSZero: false,
    resubscribe: false,
    // MQTT.js would otherwise pre-build a Buffer for each of the 65,536 two-byte numbers (about 7 MB of heap).
    writeCache: false,
    // MQTT.js traces every packet through the `debug` package, which costs allocations even when switched off; the
    // uplink logs what matters itself.
    log: () => {},
    will: { topic: statusTopic(cfg.topicPrefix, gatewayId), payload: Buffer.from(STATUS_OFFLINE), qos: 1, retain: true },
  };
  if (cfg.username !== undefined) opts.username = cfg.username;
  if (cfg.password !== undefined) opts.password = resolveSecret(cfg.password);
  if (tls) {
    if (tls.ca) opts.ca = readFileSync(tls.ca);
    if (tls.cert) opts.cert = readFileSync(tls.cert);
    if (tls.key) opts.key = readFileSync(tls.key);
    if (tls.passphrase) opts.passphrase = resolveSecret(tls.passphrase);
    opts.rejectUnauthorized = tls.rejectUnauthorized;
  }
  if (broker.servername) opts.servername = broker.servername;
  return opts;
}
