// The demo's live terminal view: one row per stream, redrawn in place on a terminal, a summary line otherwise.
import type { StreamInfo } from "../model.js";
import type { RunningAgent } from "../runtime/agent.js";
import type { TopicCounter } from "./broker.js";

export interface ViewInput {
  agent: RunningAgent;
  received: Map<string, TopicCounter>;
  /** Maps a topic to the stream it carries, or undefined for status topics. */
  streamOfTopic: (topic: string) => string | undefined;
  recentLog: string[];
  header: string[];
}

/** Bytes a plain binary encoding would take: an 8-byte timestamp per sample and 2 bytes per value. */
function rawBytes(info: StreamInfo | undefined, samples: number, events: number): number {
  if (!info) return 0;
  if (info.kind === "waveform") return samples * 2 * Math.max(1, info.channels.length);
  return samples * (8 + 2 * info.channels.length) + events * 64;
}

function latest(info: StreamInfo | undefined, v: number[] | string | undefined): string {
  if (v === undefined) return "-";
  if (typeof v === "string") return v;
  if (!info) return v.join(" ");
  return v
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
  const rows = [["stream", "latest", "samples", "msgs sent", "bytes sent", "raw bytes", "ratio"]];
  for (const [name, st] of [...v.agent.pipeline.stats.streams].sort(([a], [b]) => a.localeCompare(b))) {
    const info = infos.get(name);
    const s = sent.get(name) ?? { messages: 0, bytes: 0 };
    const raw = rawBytes(info, st.samples, st.events);
    rows.push([name, latest(info, st.latest), human(st.samples), human(s.messages), human(s.bytes), human(raw), s.bytes ? `${(raw / s.bytes).toFixed(1)}x` : "-"]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const table = rows.map((r) => r.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
  const store = v.agent.store.stats();
  const uplink = v.agent.uplink?.status() ?? {};
  const storeLine = `store: ${JSON.stringify(store).slice(0, 160)}`;
  const uplinkLine = `uplink: ${JSON.stringify(uplink).slice(0, 160)}`;
  return [...v.header, "", table[0], "-".repeat(table[0].length), ...table.slice(1), "", storeLine, uplinkLine, "", ...v.recentLog.slice(-6)].join("\n");
}
