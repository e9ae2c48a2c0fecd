// npm run bench:e2e — emulated sensors (three-axis vibration at 3,200 Hz, 100 temperature sensors at 1 Hz)
// through codec, store and uplink to a local Mosquitto and a decoding, de-duplicating subscriber, in two agent
// configurations one after the other ("raw": every vibration sample streamed losslessly; "analytics": the vibration
// processor on the gateway, as a motor stream runs in the product); beside them, in the same run, the naive baseline
// (one JSON message per sample at QoS 1). Prints one table and writes bench/results/e2e.json (git-ignored).
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface, type Interface } from "node:readline";
import mqtt from "mqtt";
import { build } from "esbuild";
import { agentBundleOptions } from "../../deploy/esbuild-options.mjs";
import { Mosquitto } from "../../tests/helpers/mosquitto.js";
import { decodeFrame } from "../../agent/codec/index.js";
import { Deduplicator } from "../../agent/codec/dedup.js";
import { parseFrameTopic } from "../../agent/uplink/topics.js";
import { GAP_CODEC } from "../../agent/store/gap-record.js";
import { WireProxy } from "./proxy.js";
import { shippedRuntime, type NodeRuntime } from "./shipped-runtime.js";
import type { AgentMode } from "./agent-proc.js";
import { TEMP_SENSORS, VIB_RATE, VibrationSim } from "./sensors.js";

/**
 * The measured window of steady-state operation. A whole number of minutes holds exactly one close of every
 * 60-sample temperature batch (they all close in the same second, once a minute), so the window is not charged
 * more or fewer closes than its length brings.
 */
const LIVE_S = Number(process.env.BENCH_LIVE_S ?? 60);
const OUTAGE_S = Number(process.env.BENCH_OUTAGE_S ?? 600);
/**
 * Outages per agent configuration, each followed by its drain. A 600 s backlog drains in well under a second, so one
 * drain holds a few dozen door events at most: the door-latency percentiles are taken over the events of all of them.
 */
const OUTAGES = Math.max(1, Number(process.env.BENCH_OUTAGES ?? 3));
/** A door event every this many ms during each drain: the probe of what an event waits for while the backlog goes out. */
const DOOR_MS = Number(process.env.BENCH_DOOR_MS ?? 5);
const BASELINE_S = Number(process.env.BENCH_BASELINE_S ?? 5);
/** How much faster than real time the outage accrues (0: as fast as the agent can). */
const FILL_SPEED = Number(process.env.BENCH_FILL_SPEED ?? 20);
/**
 * Warm-up of each agent configuration before its live phase, not measured: this many seconds of the recent past
 * replayed at WARMUP_SPEED times real time with the link up (agent-proc.ts `warm`). V8 optimises code by how much it
 * has run, not by time: at real-time pace the agent was still compiling its coders minutes after start, and the
 * temperature coders only ever run once a minute. 630 s puts the once-a-minute closes in the middle of the window.
 */
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 630);
const WARMUP_SPEED = Number(process.env.BENCH_WARMUP_SPEED ?? 20);
/**
 * Real time between the warm-up and the measured window, not measured. The end of the replay is a transition no
 * running gateway makes: V8's memory reducer sees the allocation rate drop twentyfold and runs three full
 * collections, and optimised code that had only seen the replay's objects is thrown away and compiled again. Measured
 * in one process (raw, bundled, this 2-core VM), the first minute after the replay took 3.16 s of CPU per million
 * samples and the three minutes after it 2.26, 2.30 and 2.13.
 */
const SETTLE_S = Number(process.env.BENCH_SETTLE_S ?? 60);
/** The baseline's warm-up (real time): it handles thousands of messages a second, so its code is hot within it. */
const BASELINE_WARMUP_S = Number(process.env.BENCH_BASELINE_WARMUP_S ?? 10);
/**
 * How often each side takes a block from the sensor stand-ins, each at the pace its design calls for (both measured
 * at both paces in docs/benchmarks.md). The agent reads once per second: its vibration frames hold a second, so a
 * read every 100 ms would only add wakeups, not freshness. The baseline publishes as it reads, every 100 ms, which is
 * also its cheapest pace (reading once a second costs it about 13 % more CPU per sample: bursts of 3,300 publishes).
 */
const AGENT_READ_MS = Number(process.env.BENCH_AGENT_READ_MS ?? 1000);
const BASELINE_READ_MS = Number(process.env.BENCH_BASELINE_READ_MS ?? 100);
if (LIVE_S % 60 !== 0) console.error(`bench:e2e: BENCH_LIVE_S=${LIVE_S} is not a whole number of minutes: the window holds more or fewer temperature batch closes than steady state`);
// Both sides step whole reads through whole seconds of data (the temperatures and the grouped commit are per second).
for (const [name, ms] of [["BENCH_AGENT_READ_MS", AGENT_READ_MS], ["BENCH_BASELINE_READ_MS", BASELINE_READ_MS]] as const) {
  if (!(Number.isInteger(ms) && ms > 0 && 1000 % ms === 0 && ((VIB_RATE * ms) / 1000) % 1 === 0)) {
    console.error(`bench:e2e: ${name}=${ms}: must divide 1000 ms into whole reads of the ${VIB_RATE} Hz accelerometer (e.g. 100, 250, 1000)`);
    process.exit(2);
  }
}
const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));

// Both sides run as plain node on an esbuild bundle, so neither pays for (or carries the memory of) an
// on-the-fly TypeScript loader. The agent's is built as `npm run build` builds the agent (deploy/esbuild-options.mjs:
// its pure-JavaScript dependencies bundled and minified), so its memory is that of the shipped build; the baseline
// loads mqtt from node_modules, as a Node-RED install does. Bundles live under node_modules/.cache so the external
// imports resolve to our packages.
// One directory per checkout: work trees that share node_modules must not overwrite each other's bundles.
const checkout = fileURLToPath(new URL("../..", import.meta.url));
const cacheDir = fileURLToPath(new URL(`../../node_modules/.cache/edge-agent-bench-${createHash("sha1").update(checkout).digest("hex").slice(0, 8)}/`, import.meta.url));
async function bundle(script: string, as: "agent" | "plain"): Promise<string> {
  const outfile = join(cacheDir, script.replace(/\.ts$/, ".mjs"));
  const how = as === "agent" ? agentBundleOptions : { bundle: true, platform: "node" as const, format: "esm" as const, target: "node20", packages: "external" as const };
  await build({ ...how, entryPoints: [here(script)], outfile, logLevel: "error" });
  return outfile;
}
// The agent runs with the node flags and environment of the shipped systemd unit (a 512 MB gateway); the baseline
// runs as stock node, as a Node-RED install does. BENCH_NODE_FLAGS adds flags to both.
const EXTRA_FLAGS = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const shipped = shippedRuntime();
function child(file: string, arg: object, runtime: NodeRuntime = { flags: [], env: {} }): { proc: ChildProcess; lines: Interface } {
  const proc = spawn(process.execPath, [...runtime.flags, ...EXTRA_FLAGS, file, JSON.stringify(arg)], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, ...runtime.env },
  });
  return { proc, lines: createInterface({ input: proc.stdout! }) };
}
function nextLine(lines: Interface): Promise<Record<string, number>> {
  return new Promise((resolve) => lines.once("line", (l) => resolve(JSON.parse(l))));
}
async function ask<T = Record<string, number>>(c: { proc: ChildProcess; lines: Interface }, cmd: string): Promise<T> {
  const answer = nextLine(c.lines);
  c.proc.stdin!.write(cmd + "\n");
  return answer as Promise<T>;
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

type Answer = Record<string, number>;
/** agent-proc's answer to `drain`. */
interface DrainAnswer {
  drainMs: number;
  doors: number;
  /** Each door event's time from acceptance to its PUBACK, in the agent. */
  doorAckMs: number[];
  maxRssMB: number;
  loopLagP99Ms: number;
  loopLagMaxMs: number;
}
type Child = { proc: ChildProcess; lines: Interface };

const dir = mkdtempSync(join(tmpdir(), "bench-e2e-"));
const broker = await Mosquitto.start();
const baselineProxy = new WireProxy(broker.port);
await baselineProxy.listen();

// The consumer: decodes every frame, drops duplicates, measures door-event latency; counts per gateway (one per
// agent configuration, so their sequence numbers never collide).
const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
await sub.subscribeAsync(["edge/#", "baseline/#"], { qos: 1 });
const dedup = new Deduplicator();
interface Consumed {
  received: number;
  frames: Buffer[];
  duplicates: number;
  doorLatency: number[];
  /** Diagnosis events as received, for the report. */
  diagnoses: Record<string, unknown>[];
  /** Frame payload bytes by kind of stream (the vibration stream's own name, its derived streams, temperature). */
  payloadBytes: Record<string, number>;
}
const vibName = "machine-1/vibration";
const streamKind = (stream: string): string => (stream === vibName ? "vibration" : stream.startsWith(vibName + "/") ? stream.slice(vibName.length + 1) : "temperature");
const consumed = new Map<string, Consumed>();
const consumer = (gw: string): Consumed => {
  let c = consumed.get(gw);
  if (!c) consumed.set(gw, (c = { received: 0, frames: [], duplicates: 0, doorLatency: [], diagnoses: [], payloadBytes: {} }));
  return c;
};
let baselineReceived = 0;
let measureDoorsOf = "";
sub.on("message", (topic, payload, packet) => {
  if (topic.startsWith("baseline/")) return void baselineReceived++;
  const t = parseFrameTopic("edge", topic);
  const up = (packet.properties?.userProperties ?? {}) as Record<string, string>;
  if (!t || up.codec === GAP_CODEC) return;
  const c = consumer(t.gatewayId);
  if (!dedup.accept(t.gatewayId, t.stream, Number(up.seq))) return void c.duplicates++;
  if (t.stream.endsWith("/door")) {
    const f = decodeFrame(payload);
    const sentAt = Number(f.events![0].data.sentAt);
    if (measureDoorsOf === t.gatewayId) c.doorLatency.push(performance.timeOrigin + performance.now() - sentAt);
  } else {
    // Decoded after the run: decoding here would stall this process, which also relays the agent's traffic.
    c.frames.push(payload);
    const k = streamKind(t.stream);
    c.payloadBytes[k] = (c.payloadBytes[k] ?? 0) + payload.length;
  }
});
function decodeAll(c: Consumed): void {
  for (const p of c.frames.splice(0)) {
    const f = decodeFrame(p);
    c.received += f.count;
    if (f.stream?.endsWith("/diagnosis")) for (const e of f.events ?? []) c.diagnoses.push(e.data);
  }
}

console.error(
  `bench:e2e — per configuration warm-up ${WARMUP_S} s of data at ${WARMUP_SPEED}x real time, settle ${SETTLE_S} s, live ${LIVE_S} s, ${OUTAGES} outages of ${OUTAGE_S} s of data at ${FILL_SPEED || "full"}x real time, a door event every ${DOOR_MS} ms in each drain; baseline ${BASELINE_S} s; ` +
    `sensor reads every ${AGENT_READ_MS} ms (agent) / ${BASELINE_READ_MS} ms (baseline) ` +
    `(override with BENCH_WARMUP_S, BENCH_WARMUP_SPEED, BENCH_SETTLE_S, BENCH_BASELINE_WARMUP_S, BENCH_LIVE_S, BENCH_OUTAGE_S, BENCH_OUTAGES, BENCH_DOOR_MS, BENCH_FILL_SPEED, BENCH_BASELINE_S, BENCH_AGENT_READ_MS, BENCH_BASELINE_READ_MS)`,
);
const agentFile = await bundle("agent-proc.ts", "agent");
const baselineFile = await bundle("baseline-proc.ts", "plain");
const idleFile = await bundle("idle-proc.ts", "plain");

interface AgentRun {
  mode: AgentMode;
  warm: Answer;
  live: Answer & { emitted?: Record<string, number> };
  /** CPU of an idle node process waking once per agent sensor read beside the live phase (the floor; see idle-proc.ts). */
  idle: Answer;
  liveWire: number;
  /** One per outage. */
  fills: Answer[];
  drains: DrainAnswer[];
  stop: Answer & { emitted?: Record<string, number> };
  consumed: Consumed;
}

/** One agent configuration in its own process, through its own proxy; `between` runs while it idles after its live phase. */
async function runAgent(mode: AgentMode, between: () => Promise<void>): Promise<AgentRun> {
  const gatewayId = `bench-${mode}`;
  const proxy = new WireProxy(broker.port);
  await proxy.listen();
  const agent: Child = child(agentFile, { storePath: join(dir, `${mode}.db`), brokerUrl: `mqtt://127.0.0.1:${proxy.port}`, mode, gatewayId, readMs: AGENT_READ_MS }, shipped);
  // Warm-up (module loading, JIT, the first closes of every stream), not measured; the baseline warms up too.
  const warm = await ask(agent, `warm ${WARMUP_S} ${WARMUP_SPEED}`);
  if (SETTLE_S > 0) await ask(agent, `live ${SETTLE_S}`);
  const wire0 = proxy.bytesUp;
  const control = child(idleFile, { seconds: LIVE_S, warmupS: 0, tickMs: AGENT_READ_MS }, shipped);
  const idleAnswer = nextLine(control.lines);
  const live = await ask(agent, `live ${LIVE_S}`);
  const idle = await idleAnswer;
  const liveWire = proxy.bytesUp - wire0;
  await between();
  const fills: Answer[] = [];
  const drains: DrainAnswer[] = [];
  for (let i = 0; i < OUTAGES; i++) {
    proxy.cut();
    fills.push(await ask(agent, `fill ${OUTAGE_S} ${FILL_SPEED}`));
    measureDoorsOf = gatewayId;
    proxy.restore();
    drains.push(await ask<DrainAnswer>(agent, `drain ${DOOR_MS}`));
    measureDoorsOf = "";
  }
  const stop = await ask(agent, "stop");
  await new Promise((r) => (agent.proc.exitCode !== null ? r(null) : agent.proc.once("exit", r)));
  await proxy.close();
  // Everything handed to the uplink must arrive; decode what came (bounded wait: fail loudly rather than hang).
  const c = consumer(gatewayId);
  for (let i = 0; i < 500 && c.received < stop.uplinkRecords; i++) {
    decodeAll(c);
    if (c.received < stop.uplinkRecords) await new Promise((r) => setTimeout(r, 20));
  }
  if (c.received !== stop.uplinkRecords) console.error(`WARNING: ${mode}: received ${c.received} of ${stop.uplinkRecords} samples and events`);
  const peak = (xs: number[]): string => Math.max(...xs).toFixed(1);
  console.error(`${mode}: peak RSS by phase (MB): live ${live.maxRssMB.toFixed(1)}, outage fills ${peak(fills.map((f) => f.maxRssMB))}, drains ${peak(drains.map((d) => d.maxRssMB))}`);
  return { mode, warm, live, idle, liveWire, fills, drains, stop, consumed: c };
}

let baseline: Answer = {};
const raw = await runAgent("raw", async () => {
  const base = child(baselineFile, { brokerUrl: `mqtt://127.0.0.1:${baselineProxy.port}`, seconds: BASELINE_S, warmupS: BASELINE_WARMUP_S, readMs: BASELINE_READ_MS });
  await nextLine(base.lines); // warmed up
  const baselineWire0 = baselineProxy.bytesUp;
  baseline = await nextLine(base.lines);
  baseline.wireBytes = baselineProxy.bytesUp - baselineWire0;
  await new Promise((r) => base.proc.once("exit", r));
});
const analytics = await runAgent("analytics", async () => {});

/** The agent's own door latencies (acceptance to PUBACK) over all drains. */
const agentDoorAcks = (r: AgentRun): number[] => r.drains.flatMap((d) => d.doorAckMs);
function figures(r: AgentRun) {
  return {
    cpuPerM: (r.live.cpuS / r.live.samples) * 1e6,
    idleCpuPerM: (r.idle.cpuS / r.live.samples) * 1e6,
    wakeupsPerS: r.live.wakeups / r.live.seconds,
    idleWakeupsPerS: r.idle.wakeups / r.idle.seconds,
    idleMsPerWakeup: (r.idle.cpuS * 1000) / r.idle.wakeups,
    wirePerSample: r.liveWire / r.live.samples,
    liveRssMB: r.live.maxRssMB,
    peakRssMB: Math.max(r.live.maxRssMB, ...r.fills.map((f) => f.maxRssMB), ...r.drains.map((d) => d.maxRssMB), r.stop.maxRssMB),
    diskPerHour: (r.live.diskBytes / r.live.seconds) * 3600,
    kernelDiskPerHour: (r.live.kernelDiskBytes / r.live.seconds) * 3600,
    // The slowest of the drains is the figure; all of them are listed beside it.
    drainS: Math.max(...r.drains.map((d) => d.drainMs)) / 1000,
    drainsS: r.drains.map((d) => d.drainMs / 1000),
    drainFactor: (OUTAGE_S * 1000) / Math.max(...r.drains.map((d) => d.drainMs)),
    doorP50: percentile(r.consumed.doorLatency, 50),
    doorP99: percentile(r.consumed.doorLatency, 99),
    doorMax: Math.max(...r.consumed.doorLatency),
    agentDoorP50: percentile(agentDoorAcks(r), 50),
    agentDoorP99: percentile(agentDoorAcks(r), 99),
    agentDoorMax: Math.max(...agentDoorAcks(r)),
    doorEvents: r.consumed.doorLatency.length,
    loopLagP99Ms: Math.max(...r.drains.map((d) => d.loopLagP99Ms)),
    loopLagMaxMs: Math.max(...r.drains.map((d) => d.loopLagMaxMs)),
    backlogFrames: r.fills[0].frames,
    backlogBytes: r.fills[0].queuedBytes,
    fillS: r.fills[0].fillMs / 1000,
  };
}
const fr = figures(raw);
const fa = figures(analytics);
const b = {
  cpuPerM: (baseline.cpuS / baseline.samples) * 1e6,
  wirePerSample: baseline.wireBytes / baseline.samples,
  peakRssMB: baseline.maxRssMB,
  wakeupsPerS: baseline.wakeups / baseline.seconds,
};
const noiseFloor = ((VibrationSim.noiseFloorBits() / 8) * VIB_RATE) / (VIB_RATE + TEMP_SENSORS);
const x = (v: number): string => (Number.isFinite(v) ? (v >= 10 ? v.toFixed(0) : v.toFixed(1)) + "x" : "-");
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : "-");
const door = (f: typeof fr): string => `${ms(f.doorP50)} / ${ms(f.doorP99)}; max ${ms(f.doorMax)} (${f.doorEvents} events in ${OUTAGES} drains)`;
const agentDoor = (f: typeof fr): string => `${ms(f.agentDoorP50)} / ${ms(f.agentDoorP99)}; max ${ms(f.agentDoorMax)}`;
const drainCell = (f: typeof fr): string => `${f.drainS.toFixed(2)} s = ${x(f.drainFactor)} (each: ${f.drainsS.map((d) => d.toFixed(2)).join(", ")} s)`;
const none = "n/a: keeps no backlog";
// Ratios are baseline / agent (higher is better), except the drain speed-up, which is already a factor.
const rows: string[][] = [
  ["CPU s per million samples", fr.cpuPerM.toFixed(3), fa.cpuPerM.toFixed(3), b.cpuPerM.toFixed(3), x(b.cpuPerM / fr.cpuPerM), x(b.cpuPerM / fa.cpuPerM), ">= 10x"],
  [`CPU of an idle node waking every ${AGENT_READ_MS} ms, s per million of the agent's samples`, fr.idleCpuPerM.toFixed(3), fa.idleCpuPerM.toFixed(3), "-", "-", "-", "the floor under the agent's figure"],
  // Voluntary context switches: how often a process went to sleep and was woken. On this VM each costs the idle
  // node about as much accounted CPU as the row above shows divided by its wakeups (docs/benchmarks.md).
  ["wakeups per second (voluntary context switches); idle node: wakeups/s, ms of CPU per wakeup", `${fr.wakeupsPerS.toFixed(0)}; idle ${fr.idleWakeupsPerS.toFixed(0)}, ${fr.idleMsPerWakeup.toFixed(2)} ms`, `${fa.wakeupsPerS.toFixed(0)}; idle ${fa.idleWakeupsPerS.toFixed(0)}, ${fa.idleMsPerWakeup.toFixed(2)} ms`, b.wakeupsPerS.toFixed(0), "-", "-", ""],
  ["bytes on the wire per sample", fr.wirePerSample.toFixed(3), fa.wirePerSample.toFixed(4), b.wirePerSample.toFixed(1), x(b.wirePerSample / fr.wirePerSample), x(b.wirePerSample / fa.wirePerSample), ">= 100x"],
  // What the accelerometer's noise alone carries: a lossless stream cannot be smaller, whatever its coder.
  ["information floor of lossless: the emulated sensor noise alone, bytes per sample", noiseFloor.toFixed(3), "-", "-", `${x(b.wirePerSample / noiseFloor)} at most`, "-", "lossless can't beat it"],
  // maxRSS as the kernel counts it (KiB), shown in MiB; the agent's up to its live phase, then over the whole run.
  ["peak RSS, MiB (live / whole run)", `${fr.liveRssMB.toFixed(1)} / ${fr.peakRssMB.toFixed(1)}`, `${fa.liveRssMB.toFixed(1)} / ${fa.peakRssMB.toFixed(1)}`, b.peakRssMB.toFixed(1), x(b.peakRssMB / fr.peakRssMB), x(b.peakRssMB / fa.peakRssMB), "<= 80 MB"],
  ["disk bytes per hour (store meter; kernel)", `${(fr.diskPerHour / 1e6).toFixed(1)} MB; ${(fr.kernelDiskPerHour / 1e6).toFixed(1)} MB`, `${(fa.diskPerHour / 1e6).toFixed(2)} MB; ${(fa.kernelDiskPerHour / 1e6).toFixed(2)} MB`, "0 (buffers nothing)", "-", "-", "live window, grouped 1 s commits"],
  [`backlog drain (${OUTAGE_S} s of data), slowest of ${OUTAGES} outages`, drainCell(fr), drainCell(fa), "loses it", none, none, ">= 100x faster than accrued"],
  [`door latency during the drains p50 / p99; max, ms (an event every ${DOOR_MS} ms)`, door(fr), door(fa), "-", none, none, "p99 < 100 ms"],
  ["door events in the agent during the drains: acceptance to its PUBACK, p50 / p99; max, ms", agentDoor(fr), agentDoor(fa), "-", none, none, "behind the backlog's PUBACKs"],
];
const a = analytics;
const snap = { warmUp: a.warm.snapshots, live: a.live.snapshots - a.warm.snapshots, outage: a.fills[a.fills.length - 1].snapshots - a.live.snapshots, total: a.stop.snapshots };
const diag = a.consumed.diagnoses;
const lastDiag = diag[diag.length - 1] as { zone?: string; diagnosis?: { fault: string; confidence: number; axis?: string } } | undefined;

console.log(
  `\nbench:e2e  (sensor samples: raw live ${raw.live.samples}, outages ${OUTAGES} x ${raw.fills[0].samples}; analytics live ${a.live.samples}, outages ${OUTAGES} x ${a.fills[0].samples}; ` +
    `baseline ${baseline.samples}, baseline messages received ${baselineReceived}; ` +
    `received raw ${raw.consumed.received}/${raw.stop.uplinkRecords}, analytics ${a.consumed.received}/${a.stop.uplinkRecords} samples+events, duplicates dropped ${raw.consumed.duplicates}/${a.consumed.duplicates})`,
);
console.log(["metric", "raw", "analytics", "naive JSON/QoS1", "baseline / raw", "baseline / analytics", "target"].join(" | "));
console.log(Array(7).fill("---").join(" | "));
for (const r of rows) console.log(r.join(" | "));
console.log(`\nagent event-loop lag during the drain p99/max, ms: raw ${ms(fr.loopLagP99Ms)}/${ms(fr.loopLagMaxMs)}, analytics ${ms(fa.loopLagP99Ms)}/${ms(fa.loopLagMaxMs)}`);
console.log(`backlog: raw ${fr.backlogFrames} frames, ${(fr.backlogBytes / 1e6).toFixed(1)} MB queued in SQLite, filled in ${fr.fillS.toFixed(1)} s; analytics ${fa.backlogFrames} frames, ${(fa.backlogBytes / 1e6).toFixed(2)} MB, filled in ${fa.fillS.toFixed(1)} s`);
console.log(
  `analytics: ${a.stop.windows} windows; records emitted by the processor ${JSON.stringify(a.stop.emitted)}; ` +
    `raw snapshots sent: ${snap.total} (warm-up ${snap.warmUp}, live ${snap.live}, outage ${snap.outage}); ` +
    `diagnosis events received ${diag.length}, last: zone ${lastDiag?.zone}, ${lastDiag?.diagnosis?.fault} (confidence ${lastDiag?.diagnosis?.confidence}, axis ${lastDiag?.diagnosis?.axis})`,
);
console.log(`frame payload bytes received over the whole run (warm-up, live, outage): raw ${JSON.stringify(raw.consumed.payloadBytes)}; analytics ${JSON.stringify(a.consumed.payloadBytes)}`);

const resultFile = join(import.meta.dirname, "..", "results", "e2e.json");
mkdirSync(dirname(resultFile), { recursive: true });
const strip = (r: AgentRun) => ({
  ...r,
  consumed: { received: r.consumed.received, duplicates: r.consumed.duplicates, doorEvents: r.consumed.doorLatency.length, diagnoses: r.consumed.diagnoses.length, payloadBytes: r.consumed.payloadBytes },
});
writeFileSync(
  resultFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      settings: { warmupS: WARMUP_S, warmupSpeed: WARMUP_SPEED, settleS: SETTLE_S, baselineWarmupS: BASELINE_WARMUP_S, agentReadMs: AGENT_READ_MS, baselineReadMs: BASELINE_READ_MS, liveS: LIVE_S, outageS: OUTAGE_S, outages: OUTAGES, doorMs: DOOR_MS, fillSpeed: FILL_SPEED, baselineS: BASELINE_S, agentRuntime: shipped, extraNodeFlags: EXTRA_FLAGS },
      figures: { raw: fr, analytics: fa, baseline: b, losslessFloorBytesPerSample: noiseFloor },
      snapshots: snap,
      lastDiagnosis: lastDiag,
      runs: { raw: strip(raw), analytics: strip(analytics), baseline: { ...baseline, received: baselineReceived } },
    },
    null,
    1,
  ) + "\n",
);
console.error(`wrote ${resultFile}`);

await sub.endAsync(true);
await baselineProxy.close();
await broker.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
