// CPU cost of vibration analytics on the gateway: CPU time per second of three-axis signal, as a share of one
// core, at 3,200 Hz (MEMS accelerometer ODR) and 25,600 Hz (IEPE/industrial), 1 s windows.
// Peers in the same run: the same windows with time-domain features only (what an "RMS upstream" agent computes)
// and with the spectrum but no bearing analysis, so the cost of each stage shows as a ratio.
import { cpus } from "node:os";
import { createVibrationProcessor } from "../agent/analytics/processors.js";
import { faultFrequencies } from "../agent/analytics/bearing.js";
import { timeFeatures } from "../agent/analytics/time-features.js";
import { silentLogger } from "../agent/log.js";
import { Priority, type BlockRecord, type StreamInfo } from "../agent/model.js";
import { RoomState } from "../agent/pipeline/room-state.js";
import type { RuntimeContext } from "../agent/runtime/context.js";
import { vibrationProcessor } from "../config/schema/processors-analytics.js";

// 60 s: one band search (every 60 windows) per run, as in steady operation.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const SCALE = 0.0005;
const RPM = 1500;
const BEARING = { balls: 9, ballDiameter: 0.3126, pitchDiameter: 1.537, contactAngleDeg: 0 };

function signal(n: number, rate: number, axis: number): Int32Array {
  const bpfo = faultFrequencies({ ...BEARING }, RPM / 60).bpfo;
  const out = new Int32Array(n);
  let seed = 12345 + axis;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296) - 0.5;
  const ringHz = Math.min(4000, rate / 4);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const sinceImpact = t % (1 / bpfo);
    const ring = Math.exp(-sinceImpact / 0.0008) * Math.sin(2 * Math.PI * ringHz * sinceImpact);
    out[i] = Math.round((0.2 * Math.sin(2 * Math.PI * (RPM / 60) * t) + 0.5 * ring + 0.05 * rnd()) / SCALE);
  }
  return out;
}

function blocks(rate: number, seconds: number): BlockRecord[] {
  const axes = [0, 1, 2].map((a) => signal(rate * seconds, rate, a));
  const per = rate / 10;
  const out: BlockRecord[] = [];
  for (let s = 0; s < rate * seconds; s += per) {
    out.push({ kind: "block", stream: "m/accel", t0: (s * 1000) / rate, rateHz: rate, channels: axes.map((a) => a.slice(s, s + per)) });
  }
  return out;
}

const ctx: RuntimeContext = {
  config: {} as RuntimeContext["config"],
  log: silentLogger(),
  now: () => 0,
  rooms: new RoomState(),
  gatewayId: "bench",
  dataDir: "/nonexistent",
  shared: new Map(),
  onClose: () => {},
};
const stream: StreamInfo = {
  name: "m/accel",
  kind: "waveform",
  priority: Priority.waveform,
  channels: ["x", "y", "z"].map((name) => ({ name, unit: "g", scale: SCALE, offset: 0 })),
};

function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

function run(rate: number): void {
  const input = blocks(rate, SECONDS);
  const variants: [string, () => void][] = [
    [
      "time-domain only (peer)",
      () => {
        for (const b of input) for (const c of b.channels) timeFeatures(Float64Array.from(c, (v) => v * SCALE));
      },
    ],
    [
      "features + spectrum + ISO zone",
      () => {
        const p = createVibrationProcessor(vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0 }), stream, ctx);
        for (const b of input) p.process(b, () => {});
      },
    ],
    [
      "full: + envelope bearing diagnosis",
      () => {
        const cfg = vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0, shaftRpm: RPM, bearing: BEARING });
        const p = createVibrationProcessor(cfg, stream, ctx);
        for (const b of input) p.process(b, () => {});
      },
    ],
  ];
  // One untimed pass warms the JIT and the FFT plans.
  for (const [, fn] of variants) fn();
  const results = variants.map(([name, fn]) => ({ name, ms: cpuMs(fn) }));
  const peer = results[0].ms;
  console.log(`\n${rate} Hz, 3 axes, ${SECONDS} s of signal, 1 s windows:`);
  for (const r of results) {
    const share = r.ms / (SECONDS * 1000);
    console.log(
      `  ${r.name.padEnd(36)} ${(r.ms / SECONDS).toFixed(1).padStart(7)} ms CPU per signal second = ${(100 * share).toFixed(2).padStart(6)} % of one core  (x${(r.ms / peer).toFixed(1)} the time-domain peer)`,
    );
  }
}

console.log(`bench:analytics on ${cpus()[0]?.model ?? "unknown CPU"}, node ${process.version}`);
for (const rate of [3200, 25600]) run(rate);
