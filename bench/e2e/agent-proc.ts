// The agent side of the benchmark, in its own process so its CPU and RSS are its own: emulated sensors ->
// codec batchers -> SQLite store -> MQTT uplink. Driven by commands on stdin, answers one JSON line per command.
// Two configurations: "raw" streams every vibration sample losslessly; "analytics" runs the vibration blocks through
// the gateway's vibration processor first, as a motor stream of the product does (features per window, diagnosis
// events on a change, alarms, raw snapshots only on a change, a schedule or a request).
import { readFileSync, readdirSync } from "node:fs";
import { PerformanceObserver, monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import { StreamBatcher } from "../../agent/codec/batcher.js";
import { BatcherSink } from "../../agent/runtime/batcher-sink.js";
import { codecOptions } from "../../config/schema/codec.js";
import { uplinkConfig } from "../../config/schema/uplink.js";
import { openFrameStore } from "../../agent/store/frame-store.js";
import { MqttUplink } from "../../agent/uplink/mqtt-uplink.js";
import { readSecret } from "../../config/load.js";
import { silentLogger } from "../../agent/log.js";
import { Priority, type PipelineRecord, type StreamInfo } from "../../agent/model.js";
import { createVibrationProcessor, type VibrationProcessor } from "../../agent/analytics/processors.js";
import { vibrationProcessor } from "../../config/schema/processors-analytics.js";
import { RoomState } from "../../agent/pipeline/room-state.js";
import type { RuntimeContext } from "../../agent/runtime/context.js";
import type { UplinkConfig } from "../../config/schema/index.js";
import { BEARING_6205, SHAFT_RPM, TemperatureSim, VIB_RATE, VibrationSim, tempStreams, vibStream } from "./sensors.js";

export type AgentMode = "raw" | "analytics";
const { storePath, brokerUrl, mode, gatewayId, readMs } = JSON.parse(process.argv[2]) as { storePath: string; brokerUrl: string; mode: AgentMode; gatewayId: string; readMs: number };
const log = silentLogger();
const store = openFrameStore({ path: storePath, maxBytes: 512 << 20, flushIntervalMs: 1000, commitEveryEvent: true, log, gatewayId });
const cfg = uplinkConfig.parse({
  brokers: [{ url: brokerUrl }],
  // The shipped first retry; the longest wait is shortened so the drain starts soon after the link is back. Retrying
  // every 50-100 ms (as this bench once did) builds a new MQTT client ten times a second through the whole outage:
  // garbage a real outage does not make, which grew the heap.
  reconnectMinMs: 250,
  reconnectMaxMs: 2000,
  inFlight: 32,
  replayMessagesPerS: 5000,
  replayBytesPerS: 64 * 1024 * 1024,
}) as UplinkConfig;
const uplink = new MqttUplink({ config: cfg, gatewayId, store, log, resolveSecret: readSecret });

const doorStream: StreamInfo = { name: "coldroom-0/door", kind: "event", channels: [], priority: Priority.event };
const streams: StreamInfo[] = [];
const codecOf = new Map<string, object>();
const add = (info: StreamInfo, opts: object): void => {
  streams.push(info);
  codecOf.set(info.name, opts);
};
// In "analytics" the raw stream's batcher only ever sees the snapshot blocks.
add(vibStream, { batch: VIB_RATE, maxAgeMs: 1000 });
for (const s of tempStreams) add(s, { batch: 60, maxAgeMs: 60_000 });
add(doorStream, {});

let dataT = Date.now(); // data time: real time in live phases, runs ahead in the fill phase

// Only what the vibration processor reads of the runtime; it never looks at the agent config.
const ctx: RuntimeContext = {
  config: {} as RuntimeContext["config"],
  log,
  now: () => dataT,
  rooms: new RoomState(),
  gatewayId,
  dataDir: storePath,
  shared: new Map(),
  onClose: () => {},
};
let analytics: VibrationProcessor | undefined;
if (mode === "analytics") {
  const vcfg = vibrationProcessor.parse({ type: "vibration", windowS: 1, shaftRpm: SHAFT_RPM, bearing: BEARING_6205, snapshotEveryH: 1 });
  analytics = createVibrationProcessor(vcfg, vibStream, ctx);
  for (const s of analytics.streams) add(s, s.kind === "periodic" ? { batch: 60, maxAgeMs: 60_000 } : {});
}

const vib = new VibrationSim();
const temp = new TemperatureSim();
// The runtime's sink: a batcher per stream in front of the store; its tick (once per flush interval) closes batches
// by age, checkpoints the open ones (store.checkpointOpenBatches, on by default) and commits.
const FLUSH_MS = 1000;
/** Door frames handed to the store and not yet acknowledged, by sequence number: when their event was accepted. */
const doorsInFlight = new Map<number, number>();
let doorAcceptedAt = 0;
const onFrame = (f: { stream: string; seq: number }): void => {
  if (f.stream === doorStream.name) doorsInFlight.set(f.seq, doorAcceptedAt);
};
const sink = new BatcherSink(streams, (info, nextSeq) => new StreamBatcher(info, codecOptions.parse(codecOf.get(info.name)), nextSeq), store, () => dataT, onFrame, FLUSH_MS);

/** Sensor samples produced (the benchmark's unit, the same in both configurations). */
let samples = 0;
/** Samples and events handed to the batchers of the measured streams (not the door): what the consumer must receive. */
let uplinkRecords = 0;
/** Records emitted by the vibration processor, by stream. */
const emitted: Record<string, number> = {};

function accept(r: PipelineRecord): void {
  if (r.stream !== doorStream.name) uplinkRecords += r.kind === "block" ? r.channels[0].length : 1;
  sink.write(r);
}
function acceptAnalysed(r: PipelineRecord): void {
  emitted[r.stream] = (emitted[r.stream] ?? 0) + 1;
  accept(r);
}
/** One read of every sensor, `readMs` of data at data time dataT (the temperatures once per second). */
function step(): void {
  const block = vib.block(dataT, (VIB_RATE * readMs) / 1000);
  if (analytics) analytics.process(block, acceptAnalysed);
  else accept(block);
  samples += (VIB_RATE * readMs) / 1000;
  if (Math.floor(dataT / 1000) !== Math.floor((dataT + readMs) / 1000)) {
    for (const r of temp.readings(dataT)) accept(r);
    samples += tempStreams.length;
  }
  dataT += readMs;
}
let lastTick = 0;

function drained(): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (uplink.status().inFlight !== 0) return; // cheap test first: stats() queries the database
      const st = store.stats();
      if (st.queuedFrames === 0 && st.pendingFrames === 0) {
        uplink.off("ack", check);
        resolve();
      }
    };
    uplink.on("ack", check);
    check();
  });
}

/** Bytes this process made the kernel send to the block device (Linux /proc/self/io), or NaN. */
function kernelWriteBytes(): number {
  try {
    const m = /^write_bytes: (\d+)$/m.exec(readFileSync("/proc/self/io", "utf8"));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

function usage() {
  const c = process.cpuUsage();
  const r = process.resourceUsage();
  return { cpuS: (c.user + c.system) / 1e6, userS: c.user / 1e6, systemS: c.system / 1e6, wakeups: r.voluntaryContextSwitches, maxRssMB: r.maxRSS / 1024, bytesWritten: store.stats().bytesWritten, kernelWrites: kernelWriteBytes() };
}
/** Voluntary context switches per thread (Linux /proc/self/task), keyed by thread name and id: who wakes the process. */
function threadWakeups(): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      const st = readFileSync(`/proc/self/task/${tid}/status`, "utf8");
      const name = /^Name:\s*(.*)$/m.exec(st)?.[1] ?? "?";
      out[`${name}/${tid}`] = Number(/^voluntary_ctxt_switches:\s*(\d+)$/m.exec(st)?.[1] ?? NaN);
    }
  } catch {
    // not Linux: the per-thread split is left out
  }
  return out;
}
function diffCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) if (v - (a[k] ?? 0) > 0) out[k] = v - (a[k] ?? 0);
  return out;
}
/** Where the resident memory is at this moment, in decimal MB: V8's heap by space, buffers outside it, the kernel's split. */
function memoryMB(): Record<string, number | Record<string, number>> {
  const m = process.memoryUsage();
  const mb = (n: number): number => Math.round(n / 1e5) / 10;
  const kernel: Record<string, number> = {};
  try {
    // The kernel's split of the resident set: anonymous (heap, malloc) against file-backed (code, mapped files).
    for (const [, k, v] of readFileSync("/proc/self/status", "utf8").matchAll(/^(RssAnon|RssFile|RssShmem):\s+(\d+) kB$/gm)) kernel[k] = mb(Number(v) * 1024);
  } catch {
    // not Linux
  }
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((sp) => [sp.space_name.replace(/_space$/, ""), mb(sp.space_size)]));
  return { spaces, rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers), ...kernel };
}
/** Totals since start: what the consumer must have received, and what the vibration processor did. */
function totals(): object {
  return { uplinkRecords, snapshots: analytics?.counters().snapshots ?? 0, windows: analytics?.counters().windows ?? 0, emitted };
}

/** Time spent in garbage collection on the main thread (V8 pauses), in ms since start. */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ["gc"] });

/**
 * `seconds` of real-time operation, measured as a window of the steady state: nothing is forced closed or waited
 * for at its end, so the window holds what a gateway running for months does in that time. Batches close by age as
 * they would (a whole number of minutes holds one close of every 60-sample temperature batch); frames closed in
 * the last second are still being published when the window ends, as frames of the second before it were when it
 * began. The store's WAL is checkpointed after the CPU reading so the disk figure includes the pages the periodic
 * checkpoint copies back (its CPU is in the window's own periodic checkpoints).
 */
async function live(seconds: number): Promise<object> {
  const gc0 = gcMs;
  const before = usage();
  const threads0 = threadWakeups();
  const s0 = samples;
  if (Math.abs(dataT - Date.now()) > 2 * readMs) dataT = Date.now(); // after a pause or an outage replayed ahead of real time
  await new Promise<void>((resolve) => {
    const end = Date.now() + seconds * 1000;
    // One wakeup per sensor read (readMs: once a second by default; the baseline reads at its own pace, run.ts).
    const timer = setInterval(() => {
      while (dataT + readMs <= Date.now()) step();
      if (dataT - lastTick >= FLUSH_MS) {
        sink.tick();
        lastTick = dataT;
      }
      if (Date.now() >= end) {
        clearInterval(timer);
        resolve();
      }
    }, readMs);
  });
  const after = usage();
  const threads = diffCounts(threads0, threadWakeups());
  const gcS = (gcMs - gc0) / 1000;
  store.checkpoint(); // count the pages the periodic checkpoint would copy back
  const disk = usage();
  return {
    samples: samples - s0,
    cpuS: after.cpuS - before.cpuS,
    userS: after.userS - before.userS,
    gcS,
    systemS: after.systemS - before.systemS,
    wakeups: after.wakeups - before.wakeups,
    threadWakeups: threads,
    diskBytes: disk.bytesWritten - before.bytesWritten,
    kernelDiskBytes: disk.kernelWrites - before.kernelWrites,
    seconds,
    maxRssMB: after.maxRssMB,
    memoryMB: memoryMB(),
    ...totals(),
  };
}

/** Steps `seconds` of data, one grouped commit per second of data, `speed` times faster than real time (0: at once). */
async function replay(seconds: number, speed: number): Promise<void> {
  const t = performance.now();
  const steps = (seconds * 1000) / readMs;
  const perSecond = 1000 / readMs;
  for (let i = 0; i < steps; i++) {
    step();
    if (i % perSecond !== perSecond - 1) continue;
    sink.tick(); // one tick (grouped commit) per second of data, as in real time
    const due = speed > 0 ? t + ((i + 1) * readMs) / speed : 0;
    await new Promise((r) => (speed > 0 ? setTimeout(r, Math.max(0, due - performance.now())) : setImmediate(r)));
  }
}

/**
 * The warm-up: `seconds` of the recent past replayed `speed` times faster than real time with the link up, then
 * real time caught up. V8 optimises a function after it has run enough, not after a time: an agent that handles a
 * frame a second is still compiling its coders minutes after start (seen with --trace-opt), so a short real-time
 * warm-up measures a gateway that has just booted, not one that has run for months. Data time stays continuous
 * into the live phase, so every batch carries on as it would.
 */
async function warm(seconds: number, speed: number): Promise<object> {
  const t = performance.now();
  dataT = Date.now() - seconds * 1000;
  await replay(seconds, speed);
  // The replay ran for seconds/speed of real time: catch those up one commit per second of data too. Stepped all at
  // once, the ~30 s would make one commit of 30 vibration frames, a burst no running gateway ever sees, and the
  // whole-run RSS peak would measure that burst.
  for (let gap = Math.floor((Date.now() - dataT) / 1000); gap > 0; gap = Math.floor((Date.now() - dataT) / 1000)) await replay(gap, 0);
  while (dataT + readMs <= Date.now()) step();
  sink.tick();
  lastTick = dataT;
  await drained();
  return { samples, warmMs: performance.now() - t, maxRssMB: usage().maxRssMB, ...totals() };
}

/**
 * The outage: `seconds` of data accrue while the link is down, `speed` times faster than real time (0: as fast as
 * the agent can). A real agent accrues them at real-time pace; replayed much faster, V8 grows its heap for a
 * promotion rate a gateway never sees, so the whole-run RSS peak depends on this pace (docs/benchmarks.md).
 */
async function fill(seconds: number, speed: number): Promise<object> {
  const t = performance.now();
  const s0 = samples;
  await replay(seconds, speed);
  sink.tick(true);
  return { samples: samples - s0, frames: store.stats().queuedFrames, queuedBytes: store.stats().queuedBytes, fillMs: performance.now() - t, maxRssMB: usage().maxRssMB, memoryMB: memoryMB(), ...totals() };
}

/** Waits for the link, then drains the backlog while a door event goes out every `doorMs`. */
async function drain(doorMs: number): Promise<object> {
  if (!uplink.status().connected) await new Promise((r) => uplink.once("connect", r));
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const t0 = performance.now();
  // The backlog is what was stored before the link came back; it is drained when all of it is acknowledged.
  const boundary = store.lastId();
  let backlog = store.stats().queuedFrames;
  const backlogDone = new Promise<void>((resolve) => {
    const onAck = (f: { id: number }): void => {
      if (f.id <= boundary && --backlog <= 0) {
        uplink.off("ack", onAck);
        resolve();
      }
    };
    if (backlog <= 0) resolve();
    else uplink.on("ack", onAck);
  });
  // The agent's side of a door event: from its acceptance to the broker's PUBACK (store commit with its fsync, publish,
  // broker, and the PUBACKs of backlog frames that come back ahead of it), against the consumer's side (acceptance to
  // delivery to the subscriber) measured in run.ts.
  const doorAckMs: number[] = [];
  const onDoorAck = (f: { stream: string; seq: number }): void => {
    const at = f.stream === doorStream.name ? doorsInFlight.get(f.seq) : undefined;
    if (at === undefined) return;
    doorsInFlight.delete(f.seq);
    doorAckMs.push(performance.now() - at);
  };
  uplink.on("ack", onDoorAck);
  let doors = 0;
  const timer = setInterval(() => {
    doors++;
    doorAcceptedAt = performance.now();
    const sentAt = performance.timeOrigin + doorAcceptedAt;
    accept({ kind: "event", stream: doorStream.name, t: Math.round(sentAt), type: doors % 2 ? "door.open" : "door.close", data: { sentAt } });
  }, doorMs);
  await backlogDone;
  const drainMs = performance.now() - t0;
  clearInterval(timer);
  await drained();
  uplink.off("ack", onDoorAck);
  lag.disable();
  return { drainMs, doors, doorAckMs, maxRssMB: usage().maxRssMB, loopLagP99Ms: lag.percentile(99) / 1e6, loopLagMaxMs: lag.max / 1e6 };
}

await uplink.start();
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const [cmd, arg, arg2] = line.split(" ");
  let out: object;
  if (cmd === "warm") out = await warm(Number(arg), Number(arg2 ?? 0));
  else if (cmd === "live") out = await live(Number(arg));
  else if (cmd === "fill") out = await fill(Number(arg), Number(arg2 ?? 0));
  else if (cmd === "drain") out = await drain(Number(arg ?? 50));
  else if (cmd === "heap") out = { snapshot: writeHeapSnapshot(arg) }; // for looking into memory by hand
  else if (cmd === "stop") {
    await uplink.stop();
    const u = usage();
    store.close();
    process.stdout.write(JSON.stringify({ stopped: true, ...u, ...totals() }) + "\n");
    break;
  } else out = { error: `unknown command ${cmd}` };
  process.stdout.write(JSON.stringify(out!) + "\n");
}
process.exit(0);
