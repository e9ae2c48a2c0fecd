// The agent side of the benchmark, in its own process so its CPU and RSS are its own: emulated sensors ->
// codec batchers -> SQLite store -> MQTT uplink. Driven by commands on stdin, answers one JSON line per command.
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { StreamBatcher } from "../../agent/codec/batcher.js";
import { codecOptions } from "../../config/schema/codec.js";
import { uplinkConfig } from "../../config/schema/uplink.js";
import { openFrameStore } from "../../agent/store/frame-store.js";
import { MqttUplink } from "../../agent/uplink/mqtt-uplink.js";
import { readSecret } from "../../config/load.js";
import { silentLogger } from "../../agent/log.js";
import { Priority, type PipelineRecord, type StreamInfo } from "../../agent/model.js";
import type { UplinkConfig } from "../../config/schema/index.js";
import { TemperatureSim, VIB_RATE, VibrationSim, tempStreams, vibStream } from "./sensors.js";

const { storePath, brokerUrl } = JSON.parse(process.argv[2]) as { storePath: string; brokerUrl: string };
const log = silentLogger();
const store = openFrameStore({ path: storePath, maxBytes: 512 << 20, flushIntervalMs: 1000, commitEveryEvent: true, log, gatewayId: "bench" });
const cfg = uplinkConfig.parse({
  brokers: [{ url: brokerUrl }],
  reconnectMinMs: 50,
  reconnectMaxMs: 100,
  inFlight: 32,
  replayMessagesPerS: 5000,
  replayBytesPerS: 64 * 1024 * 1024,
}) as UplinkConfig;
const uplink = new MqttUplink({ config: cfg, gatewayId: "bench", store, log, resolveSecret: readSecret });

const doorStream: StreamInfo = { name: "coldroom-0/door", kind: "event", channels: [], priority: Priority.event };
const batchers = new Map<string, StreamBatcher>();
const add = (info: StreamInfo, opts: object): void => {
  batchers.set(info.name, new StreamBatcher(info, codecOptions.parse(opts), () => store.nextSeq(info.name)));
};
add(vibStream, { batch: VIB_RATE, maxAgeMs: 1000 });
for (const s of tempStreams) add(s, { batch: 60, maxAgeMs: 60_000 });
add(doorStream, {});

const vib = new VibrationSim();
const temp = new TemperatureSim();
let dataT = Date.now(); // data time: real time in live phases, runs ahead in the fill phase
let samples = 0;

function accept(r: PipelineRecord): void {
  for (const f of batchers.get(r.stream)!.add(r)) store.put(f);
}
/** One 100 ms step of every sensor at data time dataT. */
function step(): void {
  accept(vib.block(dataT, VIB_RATE / 10));
  samples += VIB_RATE / 10;
  if (Math.floor(dataT / 1000) !== Math.floor((dataT + 100) / 1000)) {
    for (const r of temp.readings(dataT)) accept(r);
    samples += tempStreams.length;
  }
  dataT += 100;
}
function flushAll(force: boolean): void {
  for (const b of batchers.values()) for (const f of b.flush(dataT, force)) store.put(f);
}

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
  return { cpuS: (c.user + c.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024, bytesWritten: store.stats().bytesWritten, kernelWrites: kernelWriteBytes() };
}

async function live(seconds: number): Promise<object> {
  const before = usage();
  const s0 = samples;
  dataT = Date.now();
  await new Promise<void>((resolve) => {
    const end = Date.now() + seconds * 1000;
    // One tick per 100 ms sensor block, like the baseline: both sides pay the same scheduling cost.
    const timer = setInterval(() => {
      while (dataT + 100 <= Date.now()) step();
      flushAll(false);
      if (Date.now() >= end) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
  });
  flushAll(true);
  store.commit();
  await drained();
  store.checkpoint(); // count the pages the periodic checkpoint would copy back
  const after = usage();
  return {
    samples: samples - s0,
    cpuS: after.cpuS - before.cpuS,
    diskBytes: after.bytesWritten - before.bytesWritten,
    kernelDiskBytes: after.kernelWrites - before.kernelWrites,
    seconds,
    maxRssMB: after.maxRssMB,
  };
}

async function fill(seconds: number): Promise<object> {
  const t = performance.now();
  const s0 = samples;
  const steps = seconds * 10;
  for (let i = 0; i < steps; i++) {
    step();
    flushAll(false);
    if (i % 10 === 9) store.commit(); // one grouped commit per second of data, as in real time
    if (i % 100 === 99) await new Promise((r) => setImmediate(r));
  }
  flushAll(true);
  store.commit();
  return { samples: samples - s0, frames: store.stats().queuedFrames, queuedBytes: store.stats().queuedBytes, fillMs: performance.now() - t, maxRssMB: usage().maxRssMB };
}

/** Waits for the link, then drains the backlog while a door event goes out every 50 ms. */
async function drain(): Promise<object> {
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
  let doors = 0;
  const timer = setInterval(() => {
    doors++;
    const sentAt = performance.timeOrigin + performance.now();
    accept({ kind: "event", stream: doorStream.name, t: Math.round(sentAt), type: doors % 2 ? "door.open" : "door.close", data: { sentAt } });
  }, 50);
  await backlogDone;
  const drainMs = performance.now() - t0;
  clearInterval(timer);
  await drained();
  lag.disable();
  return { drainMs, doors, maxRssMB: usage().maxRssMB, loopLagP99Ms: lag.percentile(99) / 1e6, loopLagMaxMs: lag.max / 1e6 };
}

await uplink.start();
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const [cmd, arg] = line.split(" ");
  let out: object;
  if (cmd === "live") out = await live(Number(arg));
  else if (cmd === "fill") out = await fill(Number(arg));
  else if (cmd === "drain") out = await drain();
  else if (cmd === "stop") {
    await uplink.stop();
    const u = usage();
    store.close();
    process.stdout.write(JSON.stringify({ stopped: true, ...u }) + "\n");
    break;
  } else out = { error: `unknown command ${cmd}` };
  process.stdout.write(JSON.stringify(out!) + "\n");
}
process.exit(0);
