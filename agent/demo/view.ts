// The demo's live terminal view: one row per stream, redrawn in place on a terminal, a summary line otherwise.
import type { StreamInfo } from "../model.js";
import type { RunningAgent } from "../runtime/agent.js";
import type { StoreStats } from "../store/frame-store-types.js";
import type { UplinkStatus } from "../uplink/mqtt-uplink.js";
import type { TopicCounter } from "./broker.js";

export interface ViewInput {
  agent: RunningAgent;
  received: Map<string, TopicCounter>;
  /** Maps a topic to the stream it carries, or undefined for status topics. */
  streamOfTopic: (topic: string) => string | undefined;
  recentLog: string[];
  header: string[];
}

/**
 * What a gateway that sends one JSON message per reading (ThingsBoard's gateway, a Node-RED flow) would send for the
 * same samples: `{"ts":...,"values":{"temperature":5.13,...}}`, estimated from the latest reading's size.
 */
function jsonBytes(info: StreamInfo | undefined, latest: number[] | string | undefined, samples: number, events: number, t: number): number {
  if (!info) return 0;
  if (info.kind === "event") return 0;
  const values: Record<string, number> = {};
  info.channels.forEach((ch, i) => {
    const count = Array.isArray(latest) ? (latest[i] ?? 0) : 2048;
    values[ch.name] = Number((count * ch.scale + ch.offset).toFixed(3));
  });
  return samples * JSON.stringify({ ts: Math.round(t), values }).length + events * 64;
}

function latest(info: StreamInfo | undefined, v: number[] | string | undefined): string {
  if (v === undefined) return "-";
  if (typeof v === "string") return v;
  if (!info) return v.join(" ");
  return v
    .slice(0, 3)
    .map((c, i) => {
      const ch = info.channels[i];
      return ch ? `${(c * ch.scale + ch.offset).toFixed(2)} ${ch.unit}` : String(c);
    })
    .join("  ");
}

const human = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(n));

export function renderView(v: ViewInput): string {
  const infos = new Map(v.agent.pipeline.streams().map((s) => [s.name, s]));
  const sent = new Map<string, TopicCounter>();
  for (const [topic, c] of v.received) {
    const s = v.streamOfTopic(topic);
    if (!s) continue;
    const acc = sent.get(s) ?? { messages: 0, bytes: 0 };
    acc.messages += c.messages;
    acc.bytes += c.bytes;
    sent.set(s, acc);
  }
  const rows = [["stream", "latest", "samples", "batching", "events", "msgs sent", "bytes sent", "as JSON", "JSON / sent"]];
  for (const [name, st] of [...v.agent.pipeline.stats.streams].sort(([a], [b]) => a.localeCompare(b))) {
    const info = infos.get(name);
    const s = sent.get(name) ?? { messages: 0, bytes: 0 };
    const json = jsonBytes(info, st.latest, st.samples, st.events, st.lastT ?? Date.now());
    const ratio = s.bytes && json ? `${(json / s.bytes).toFixed(1)}x` : "-";
    const batching = info?.kind === "event" ? 0 : Math.max(0, st.samples - (v.agent.sink.framedSamples.get(name) ?? 0));
    rows.push([name, latest(info, st.latest), human(st.samples), human(batching), human(st.events), human(s.messages), human(s.bytes), json ? human(json) : "-", ratio]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) => r.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
  const store = v.agent.store.stats() as Partial<StoreStats>;
  const uplink = (v.agent.uplink?.status() ?? {}) as Partial<UplinkStatus>;
  const drops = Object.values(store.drops ?? {}).reduce((n, d) => n + d.frames, 0);
  const storeLine =
    `store:  ${store.queuedFrames ?? 0} frames queued (${human(store.queuedBytes ?? 0)} B), oldest unsent ` +
    `${store.oldestUnsentAgeMs == null ? "-" : `${(store.oldestUnsentAgeMs / 1000).toFixed(1)} s`}, dropped ${drops}, ` +
    `written to disk ${human(store.bytesWritten ?? 0)} B`;
  const uplinkLine =
    `uplink: ${uplink.connected ? `connected to ${uplink.broker} (MQTT ${uplink.protocolVersion === 5 ? "5" : "3.1.1"})` : "disconnected"}, ` +
    `published ${uplink.published ?? 0}, acknowledged ${uplink.acked ?? 0}, in flight ${uplink.inFlight ?? 0}, from backlog ${uplink.replayed ?? 0}`;
  return [...v.header, "", table[0], "-".repeat(table[0].length), ...table.slice(1), "", storeLine, uplinkLine, "", ...v.recentLog.slice(-6)].join("\n");
}
