// npm run bench:e2e — emulated sensors (three-axis vibration at 3,200 Hz, 100 temperature sensors at 1 Hz)
// through codec, store and uplink to a local Mosquitto and a decoding, de-duplicating subscriber; beside it,
// in the same run, the naive baseline (one JSON message per sample at QoS 1). Prints one table.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface, type Interface } from "node:readline";
import mqtt from "mqtt";
import { build } from "esbuild";
import { Mosquitto } from "../../tests/helpers/mosquitto.js";
import { decodeFrame } from "../../agent/codec/index.js";
import { Deduplicator } from "../../agent/codec/dedup.js";
import { parseFrameTopic } from "../../agent/uplink/topics.js";
import { GAP_CODEC } from "../../agent/store/gap-record.js";
import { WireProxy } from "./proxy.js";

const LIVE_S = Number(process.env.BENCH_LIVE_S ?? 20);
const OUTAGE_S = Number(process.env.BENCH_OUTAGE_S ?? 600);
const BASELINE_S = Number(process.env.BENCH_BASELINE_S ?? 5);
const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));

// Both sides run as plain node on an esbuild bundle, so neither pays for (or carries the memory of) an
// on-the-fly TypeScript loader. Bundles live under node_modules/.cache so bare imports resolve to our packages.
const cacheDir = fileURLToPath(new URL("../../node_modules/.cache/edge-agent-bench/", import.meta.url));
async function bundle(script: string): Promise<string> {
  const outfile = join(cacheDir, script.replace(/\.ts$/, ".mjs"));
  await build({ entryPoints: [here(script)], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", outfile, logLevel: "error" });
  return outfile;
}
// V8 flags for the measured processes (both sides), e.g. "--max-semi-space-size=1" as a small gateway would run.
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
function child(file: string, arg: object): { proc: ChildProcess; lines: Interface } {
  const proc = spawn(process.execPath, [...NODE_FLAGS, file, JSON.stringify(arg)], { stdio: ["pipe", "pipe", "inherit"] });
  return { proc, lines: createInterface({ input: proc.stdout! }) };
}
function nextLine(lines: Interface): Promise<Record<string, number>> {
  return new Promise((resolve) => lines.once("line", (l) => resolve(JSON.parse(l))));
}
async function ask(c: { proc: ChildProcess; lines: Interface }, cmd: string): Promise<Record<string, number>> {
  const answer = nextLine(c.lines);
  c.proc.stdin!.write(cmd + "\n");
  return answer;
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const dir = mkdtempSync(join(tmpdir(), "bench-e2e-"));
const broker = await Mosquitto.start();
const agentProxy = new WireProxy(broker.port);
const baselineProxy = new WireProxy(broker.port);
await agentProxy.listen();
await baselineProxy.listen();

// The consumer: decodes every frame, drops duplicates, measures door-event latency.
const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
await sub.subscribeAsync(["edge/#", "baseline/#"], { qos: 1 });
const dedup = new Deduplicator();
let received = 0;
let receivedBytes = 0;
const frames: Buffer[] = [];
let duplicates = 0;
let baselineReceived = 0;
let measureDoors = false;
const doorLatency: number[] = [];
sub.on("message", (topic, payload, packet) => {
  if (topic.startsWith("baseline/")) return void baselineReceived++;
  const t = parseFrameTopic("edge", topic);
  const up = (packet.properties?.userProperties ?? {}) as Record<string, string>;
  if (!t || up.codec === GAP_CODEC) return;
  if (!dedup.accept(t.gatewayId, t.stream, Number(up.seq))) return void duplicates++;
  if (t.stream.endsWith("/door")) {
    const f = decodeFrame(payload);
    const sentAt = Number(f.events![0].data.sentAt);
    if (measureDoors) doorLatency.push(performance.timeOrigin + performance.now() - sentAt);
  } else {
    // Decoded after the run: decoding here would stall this process, which also relays the agent's traffic.
    frames.push(payload);
    receivedBytes += payload.length;
  }
});
function decodeAll(): void {
  for (const p of frames.splice(0)) received += decodeFrame(p).count;
}

console.error(`bench:e2e — live ${LIVE_S} s, outage ${OUTAGE_S} s of data, baseline ${BASELINE_S} s (override with BENCH_LIVE_S, BENCH_OUTAGE_S, BENCH_BASELINE_S)`);
const agentFile = await bundle("agent-proc.ts");
const baselineFile = await bundle("baseline-proc.ts");
const agent = child(agentFile, { storePath: join(dir, "store.db"), brokerUrl: `mqtt://127.0.0.1:${agentProxy.port}` });

// Warm-up (module loading, JIT, first frame of every stream), not measured: the baseline warms up the same way.
await ask(agent, "live 3");
const wire0 = agentProxy.bytesUp;
const live = await ask(agent, `live ${LIVE_S}`);
const liveWire = agentProxy.bytesUp - wire0;

const base = child(baselineFile, { brokerUrl: `mqtt://127.0.0.1:${baselineProxy.port}`, seconds: BASELINE_S, warmupS: 1 });
await nextLine(base.lines); // warmed up
const baselineWire0 = baselineProxy.bytesUp;
const baseline = await nextLine(base.lines);
baseline.wireBytes = baselineProxy.bytesUp - baselineWire0;
await new Promise((r) => base.proc.once("exit", r));

agentProxy.cut();
const fill = await ask(agent, `fill ${OUTAGE_S}`);
measureDoors = true;
agentProxy.restore();
const drain = await ask(agent, "drain");
measureDoors = false;
const stop = await ask(agent, "stop");
const totalSamples = live.samples + fill.samples;
// Every sample must arrive; decode what came (bounded wait: fail loudly rather than hang).
for (let i = 0; i < 500 && received < totalSamples; i++) {
  decodeAll();
  if (received < totalSamples) await new Promise((r) => setTimeout(r, 20));
}
if (received !== totalSamples) console.error(`WARNING: received ${received} of ${totalSamples} samples`);

const agentCpuPerM = (live.cpuS / live.samples) * 1e6;
const baseCpuPerM = (baseline.cpuS / baseline.samples) * 1e6;
const agentWirePerSample = liveWire / live.samples;
const baseWirePerSample = baseline.wireBytes / baseline.samples;
const diskPerHour = (live.diskBytes / live.seconds) * 3600;
const drainFactor = (OUTAGE_S * 1000) / drain.drainMs;
const p50 = percentile(doorLatency, 50);
const p99 = percentile(doorLatency, 99);
const peakRss = Math.max(live.maxRssMB, fill.maxRssMB, drain.maxRssMB, stop.maxRssMB);
console.error(`peak RSS by phase (MB): live ${live.maxRssMB.toFixed(1)}, outage fill ${fill.maxRssMB.toFixed(1)}, drain ${drain.maxRssMB.toFixed(1)}`);

const rows: [string, string, string, string][] = [
  ["CPU s per million samples", agentCpuPerM.toFixed(3), baseCpuPerM.toFixed(3), `ratio ${(baseCpuPerM / agentCpuPerM).toFixed(1)}x (target >= 10x)`],
  ["bytes on the wire per sample", agentWirePerSample.toFixed(3), baseWirePerSample.toFixed(1), `ratio ${(baseWirePerSample / agentWirePerSample).toFixed(0)}x (target >= 100x)`],
  ["peak RSS, MB", peakRss.toFixed(1), baseline.maxRssMB.toFixed(1), "target <= 80 MB"],
  ["bytes written to disk per hour", `${(diskPerHour / 1e6).toFixed(1)} MB (kernel: ${((live.kernelDiskBytes / live.seconds) * 3.6e-3).toFixed(1)} MB)`, "-", "live phase, grouped 1 s commits; store meter (kernel write_bytes)"],
  ["backlog drain", `${(drain.drainMs / 1000).toFixed(2)} s for ${OUTAGE_S} s`, "-", `${drainFactor.toFixed(0)}x faster than accrued (target >= 100x)`],
  ["door latency during drain p50/p99, ms", `${p50.toFixed(1)} / ${p99.toFixed(1)}`, "-", `${doorLatency.length} events (target p99 < 100 ms); agent event-loop lag p99/max ${drain.loopLagP99Ms.toFixed(1)}/${drain.loopLagMaxMs.toFixed(1)} ms`],
];
console.log(`\nbench:e2e  (samples: live ${live.samples}, outage ${fill.samples}; baseline ${baseline.samples}; received ${received}, duplicates dropped ${duplicates}, baseline received ${baselineReceived})`);
console.log(["metric", "edge-agent", "naive JSON/QoS1", "note"].join(" | "));
console.log(["---", "---", "---", "---"].join(" | "));
for (const r of rows) console.log(r.join(" | "));
console.log(`\nbacklog: ${fill.frames} frames, ${(fill.queuedBytes / 1e6).toFixed(1)} MB queued in SQLite; filled in ${(fill.fillMs / 1000).toFixed(1)} s`);

await sub.endAsync(true);
await agentProxy.close();
await baselineProxy.close();
await broker.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
