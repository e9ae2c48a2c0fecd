// MQTT uplink. Owned by the store/uplink work (issue 6).
import { z } from "zod";
import { secretRef } from "./common.js";

export const brokerConfig = z.strictObject({
  /** mqtt://host:port or mqtts://host:port */
  url: z.string().regex(/^(mqtts?|wss?|tcp|tls):\/\/[^\s]+$/, "expected a broker URL such as mqtt://host:1883 or mqtts://host:8883"),
  servername: z.string().optional(),
});

export const tlsConfig = z.strictObject({
  /** PEM files: CA bundle that signs the broker's certificate, and the client certificate and key (mutual TLS). */
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  passphrase: secretRef.optional(),
  rejectUnauthorized: z.boolean().default(true),
});

export const uplinkConfig = z.strictObject({
  brokers: z.array(brokerConfig).min(1),
  protocolVersion: z.union([z.literal(5), z.literal(4)]).default(5),
  topicPrefix: z.string().regex(/^[^#+]+$/, "expected a topic prefix without MQTT wildcards").default("edge"),
  clientId: z.string().optional(),
  username: z.string().optional(),
  password: secretRef.optional(),
  tls: tlsConfig.optional(),
  /** Credentials over plaintext MQTT are refused unless this is set. */
  allowInsecure: z.boolean().default(false),
  keepaliveS: z.number().int().positive().default(30),
  inFlight: z.number().int().positive().default(16),
  /** Backlog pacing limits. */
  replayMessagesPerS: z.number().positive().default(200),
  replayBytesPerS: z.number().positive().default(256 * 1024),
  /** Reconnect back-off: doubles from min to max after each failed attempt; brokers are tried in turn. */
  reconnectMinMs: z.number().int().positive().default(250),
  reconnectMaxMs: z.number().int().positive().default(30_000),
  connectTimeoutMs: z.number().int().positive().default(10_000),
});
