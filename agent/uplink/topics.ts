// MQTT topic layout (docs/mqtt.md). The codec knows nothing of this; consumers subscribe to <prefix>/+/#.
export type FrameTopicKind = "live" | "backlog" | "gap";

export function frameTopic(prefix: string, gatewayId: string, stream: string, kind: FrameTopicKind): string {
  return `${prefix}/${gatewayId}/${stream}/${kind}`;
}

export function statusTopic(prefix: string, gatewayId: string): string {
  return `${prefix}/${gatewayId}/status`;
}

export interface ParsedFrameTopic {
  gatewayId: string;
  stream: string;
  kind: FrameTopicKind;
}

/** Inverse of frameTopic, for consumers; null for status and foreign topics. */
export function parseFrameTopic(prefix: string, topic: string): ParsedFrameTopic | null {
  if (!topic.startsWith(prefix + "/")) return null;
  const levels = topic.slice(prefix.length + 1).split("/");
  if (levels.length < 3) return null;
  const kind = levels[levels.length - 1];
  if (kind !== "live" && kind !== "backlog" && kind !== "gap") return null;
  return { gatewayId: levels[0], stream: levels.slice(1, -1).join("/"), kind };
}

/** MQTT 5 content types of the payloads. */
export const CONTENT_TYPE_FRAME = "application/vnd.edge-agent.frame";
export const CONTENT_TYPE_JSON = "application/json";
export const STATUS_ONLINE = "online";
export const STATUS_OFFLINE = "offline";
