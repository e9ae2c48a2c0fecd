// What the vibration features cost upstream (issue 7: "a few dozen bytes" per window): ten minutes of a three-axis
// pump with a growing outer-race fault through the processor and the real codec batcher, every frame byte counted.
import { describe, expect, it } from "vitest";
import { faultFrequencies } from "../../agent/analytics/bearing.js";
import { readFeatures } from "../../agent/analytics/feature-channels.js";
import { createVibrationProcessor } from "../../agent/analytics/processors.js";
import { StreamBatcher } from "../../agent/codec/batcher.js";
import { decodeFrame } from "../../agent/codec/index.js";
import { Priority, type BlockRecord, type PipelineRecord, type SampleRecord, type StreamInfo } from "../../agent/model.js";
import type { Frame } from "../../agent/pipeline/frame.js";
import { codecOptions } from "../../config/schema/codec.js";
import { vibrationProcessor } from "../../config/schema/processors-analytics.js";
import { impactTrain, sine, SKF_6205, testContext } from "./helpers.js";

const RATE = 3200; // an ADXL345 at its highest rate
const WINDOWS = 600;
const RPM = 1797;
const SCALE = 0.0005; // g per count
const T0 = 1_760_000_000_000;

const stream: StreamInfo = {
  name: "pump-7/vibration",
  kind: "waveform",
  priority: Priority.waveform,
  group: "pump-7",
  channels: ["x", "y", "z"].map((name) => ({ name, unit: "g", scale: SCALE, offset: 0 })),
};

/** Second `s` of the signal: shaft 1x on every axis, outer-race impacts ringing a 1.2 kHz resonance, strongest on x. */
function second(s: number): BlockRecord[] {
  const bpfo = faultFrequencies(SKF_6205, RPM / 60).bpfo;
  // The fault grows by half over the ten minutes: the features are a trend, not a constant.
  const grow = 1 + (0.5 * s) / WINDOWS;
  const shaft = sine(RATE, RATE, RPM / 60, 0.05, (2 * Math.PI * (RPM / 60) * s) % (2 * Math.PI));
  const axes = [1, 0.4, 0.2].map((gain, a) => {
    const x = impactTrain({ n: RATE, rateHz: RATE, defectHz: bpfo, resonanceHz: 1200, impactG: gain * grow, noiseG: 0.03, seed: 1000 * a + s + 1, from: s * RATE });
    for (let i = 0; i < RATE; i++) x[i] += shaft[i] * (a === 2 ? 0.3 : 1);
    return x;
  });
  const per = RATE / 10; // 0.1 s FIFO reads
  return Array.from({ length: 10 }, (_, b) => ({
    kind: "block" as const,
    stream: stream.name,
    t0: T0 + s * 1000 + b * 100,
    rateHz: RATE,
    channels: axes.map((x) => Int32Array.from(x.subarray(b * per, (b + 1) * per), (v) => Math.round(v / SCALE))),
  }));
}

describe("vibration features on the wire", () => {
  it(`cost at most 64 bytes per window, frame headers included (${WINDOWS} windows, 3 axes, batch 60)`, () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", shaftRpm: RPM, bearing: SKF_6205 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    const opts = codecOptions.parse({ batch: 60 });
    let seq = 0;
    const batchers = new Map(p.streams.map((s) => [s.name, new StreamBatcher(s, opts, () => seq++)]));
    const frames: Frame[] = [];
    const samples: SampleRecord[] = [];
    const emit = (r: PipelineRecord) => {
      if (r.kind === "sample") samples.push(r);
      const b = batchers.get(r.stream);
      if (b) frames.push(...b.add(r));
    };
    for (let s = 0; s < WINDOWS; s++) for (const block of second(s)) p.process(block, emit);
    for (const b of batchers.values()) frames.push(...b.flush(T0 + WINDOWS * 1000, true));
    for (const b of batchers.values()) expect(b.stats.rejected).toBe(0);

    const [featuresInfo, diagnosisInfo] = p.streams;
    const bytesOf = (name: string) => frames.filter((f) => f.stream === name).reduce((sum, f) => sum + f.bytes.length, 0);
    const featureBytes = bytesOf(featuresInfo.name);
    const diagnosisBytes = bytesOf(diagnosisInfo.name);
    const perWindow = featureBytes / WINDOWS;
    const withDiagnosis = (featureBytes + diagnosisBytes) / WINDOWS;
    console.log(
      `features: ${featuresInfo.channels.length} channels, ${frames.filter((f) => f.stream === featuresInfo.name).length} frames, ` +
        `${perWindow.toFixed(1)} bytes/window; diagnosis events ${diagnosisBytes} bytes; both ${withDiagnosis.toFixed(1)} bytes/window`,
    );

    expect(samples).toHaveLength(WINDOWS);
    expect(p.counters().windows).toBe(WINDOWS);
    expect(perWindow).toBeLessThanOrEqual(64);
    expect(withDiagnosis).toBeLessThanOrEqual(64);

    // What arrives is what was measured: the frames decode, losslessly, to the samples, and say outer race.
    const decoded = frames.filter((f) => f.stream === featuresInfo.name).map((f) => decodeFrame(f.bytes));
    expect(decoded.reduce((n, f) => n + f.count, 0)).toBe(WINDOWS);
    const last = decoded.at(-1)!;
    const lastValues = readFeatures(last.channels, last.channels.map((c) => c.counts[last.count - 1]));
    expect(lastValues).toEqual(readFeatures(featuresInfo.channels, samples.at(-1)!.values));
    expect(lastValues.fault).toBe(1);
    expect(lastValues["x.bpfo"]).toBeGreaterThan(lastValues["y.bpfo"]);
    expect(lastValues["x.kurt"]).toBeGreaterThan(3);
  });
});
