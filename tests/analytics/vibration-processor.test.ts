import { describe, expect, it } from "vitest";
import { createVibrationProcessor } from "../../agent/analytics/processors.js";
import { faultFrequencies } from "../../agent/analytics/bearing.js";
import { readFeatures } from "../../agent/analytics/feature-channels.js";
import { Priority, type BlockRecord, type EventRecord, type PipelineRecord, type SampleRecord, type StreamInfo } from "../../agent/model.js";
import { vibrationProcessor } from "../../config/schema/processors-analytics.js";
import { collector, gaussian, impactTrain, SKF_6205, testContext } from "./helpers.js";

const SCALE = 0.001; // g per count
const stream: StreamInfo = {
  name: "pump-1/accel",
  kind: "waveform",
  priority: Priority.waveform,
  group: "pump-1",
  channels: ["x", "y", "z"].map((name) => ({ name, unit: "g", scale: SCALE, offset: 0 })),
};

/** Blocks of 0.1 s of a sine of `ampG` at `hz` on x (y, z a tenth of it), continuing from sample `from`. */
function sineBlocks(seconds: number, ampG: number, from = 0, rate = 3200, hz = 100): BlockRecord[] {
  const per = rate / 10;
  const out: BlockRecord[] = [];
  for (let b = 0; b < seconds * 10; b++) {
    const start = from + b * per;
    const x = new Int32Array(per);
    for (let i = 0; i < per; i++) x[i] = Math.round((ampG / SCALE) * Math.sin((2 * Math.PI * hz * (start + i)) / rate));
    const small = x.map((v) => Math.round(v / 10));
    out.push({ kind: "block", stream: stream.name, t0: 1_700_000_000_000 + (start * 1000) / rate, rateHz: rate, channels: [x, small, small.slice()] });
  }
  return out;
}

type VibrationProcessor = ReturnType<typeof createVibrationProcessor>;
/** The features samples of a run, decoded to physical values by the channels the processor declares. */
const features = (p: VibrationProcessor, rs: PipelineRecord[]) => {
  const info = p.streams.find((s) => s.name.endsWith("/features"))!;
  return rs.filter((r): r is SampleRecord => r.kind === "sample" && r.stream === info.name).map((r) => readFeatures(info.channels, r.values));
};
const diagnoses = (rs: PipelineRecord[]) => rs.filter((r): r is EventRecord => r.kind === "event" && r.type === "diagnosis");
const blocks = (rs: PipelineRecord[]) => rs.filter((r): r is BlockRecord => r.kind === "block");
const alarms = (rs: PipelineRecord[]) => rs.filter((r): r is EventRecord => r.kind === "event" && r.type.startsWith("alarm."));

function run(p: ReturnType<typeof createVibrationProcessor>, records: PipelineRecord[]): PipelineRecord[] {
  const c = collector();
  for (const r of records) p.process(r, c.emit);
  return c.records;
}

describe("vibration processor", () => {
  it("declares a periodic features stream with one channel per axis and feature, a diagnosis and an alarm stream", () => {
    const p = createVibrationProcessor(vibrationProcessor.parse({ type: "vibration" }), stream, testContext());
    expect(p.streams).toEqual([
      expect.objectContaining({ name: "pump-1/accel/features", kind: "periodic", priority: Priority.features, group: "pump-1" }),
      expect.objectContaining({ name: "pump-1/accel/diagnosis", kind: "event", priority: Priority.features, group: "pump-1" }),
      expect.objectContaining({ name: "pump-1/accel/alarms", kind: "event", priority: Priority.alarm }),
    ]);
    const names = p.streams[0].channels.map((c) => c.name);
    expect(names).toEqual(["zone", ...["x", "y", "z"].flatMap((a) => ["rms", "peak", "crest", "kurt", "vel"].map((f) => `${a}.${f}`))]);
    expect(p.streams[0].channels.find((c) => c.name === "x.vel")).toEqual({ name: "x.vel", unit: "mm/s", scale: 0.01, offset: 0 });
    expect(p.streams[0].channels.find((c) => c.name === "x.rms")).toEqual({ name: "x.rms", unit: "g", scale: 0.0001, offset: 0 });

    const withBearing = createVibrationProcessor(vibrationProcessor.parse({ type: "vibration", bearing: SKF_6205, axes: ["x"] }), stream, testContext());
    expect(withBearing.streams[0].channels.map((c) => c.name)).toEqual([
      "zone", "x.rms", "x.peak", "x.crest", "x.kurt", "x.vel", "rpm", "fault", "conf", "x.bpfo", "x.bpfi", "x.bsf", "x.ftf",
    ]);
  });

  it("emits one integer features sample per window, a diagnosis event at start, and raw blocks only as the scheduled snapshot", () => {
    const p = createVibrationProcessor(vibrationProcessor.parse({ type: "vibration" }), stream, testContext());
    const input = sineBlocks(3, 0.2);
    const out = run(p, input);
    const samples = out.filter((r): r is SampleRecord => r.kind === "sample");
    expect(samples).toHaveLength(3);
    expect(samples.every((r) => r.stream === "pump-1/accel/features" && r.values.length === 16 && r.values.every(Number.isSafeInteger))).toBe(true);
    expect(samples.every((r) => Number.isSafeInteger(r.t))).toBe(true);
    const f = features(p, out);
    // 0.2 g peak at 100 Hz: 2.208 mm/s, zone B (2) of group 2 rigid.
    expect(f[0]["x.vel"]).toBeCloseTo(2.208, 1);
    expect(f[0]["x.rms"]).toBeCloseTo(0.2 / Math.SQRT2, 3);
    expect(f[0]["x.peak"]).toBeCloseTo(0.2, 2);
    expect(f[0]["x.crest"]).toBeCloseTo(Math.SQRT2, 1);
    expect(f[0]["x.kurt"]).toBeCloseTo(1.5, 1);
    expect(f[0]["y.rms"]).toBeCloseTo(0.02 / Math.SQRT2, 3);
    expect(f.map((r) => r.zone)).toEqual([2, 2, 2]);

    // The steady sine changes nothing after the first window: one diagnosis event, which carries the snapshot.
    const d = diagnoses(out);
    expect(d).toHaveLength(1);
    expect(d[0].stream).toBe("pump-1/accel/diagnosis");
    expect(d[0].data).toMatchObject({ changed: ["start"], snapshot: ["schedule"], zone: "B", rateHz: 3200, n: 3200, diagnosis: { fault: "none" } });
    const x = (d[0].data.axes as Record<string, Record<string, unknown>>).x;
    expect(x.zone).toBe("B");
    expect(x.peaks).toEqual([[100, expect.closeTo(0.2, 2)], expect.anything(), expect.anything()]);
    expect(x.bands).toEqual([[10, 1000, expect.closeTo(0.2 / Math.SQRT2, 2)], [1000, 1600, expect.any(Number)]]);
    // The scheduled snapshot is the first window's ten blocks, unchanged (same objects, original stream).
    expect(blocks(out)).toEqual(input.slice(0, 10));
    expect(blocks(out)[0]).toBe(input[0]);
    expect(alarms(out)).toHaveLength(0);
  });

  it("a zone change sends a diagnosis event and a snapshot, and raises, escalates and clears the zone alarm", () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0, snapshotMinIntervalS: 0 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    const quiet = sineBlocks(1, 0.1);
    const rough = sineBlocks(1, 0.35, 3200); // 3.86 mm/s: zone C
    const bad = sineBlocks(1, 0.6, 6400); // 6.6 mm/s: zone D
    const calm = sineBlocks(1, 0.1, 9600);
    const out = run(p, [...quiet, ...rough, ...bad, ...calm]);
    expect(features(p, out).map((r) => r.zone)).toEqual([1, 3, 4, 1]);
    expect(diagnoses(out).map((r) => [r.data.zone, r.data.changed, r.data.snapshot])).toEqual([
      ["A", ["start"], undefined],
      ["C", ["zone"], ["zone"]],
      ["D", ["zone"], ["zone"]],
      ["A", ["zone"], ["zone"]],
    ]);
    expect(blocks(out)).toEqual([...rough, ...bad, ...calm]);
    expect(alarms(out).map((a) => [a.type, a.severity, a.data.zone, a.stream])).toEqual([
      ["alarm.raise", "warning", "C", "pump-1/accel/alarms"],
      ["alarm.raise", "critical", "D", "pump-1/accel/alarms"],
      ["alarm.clear", "info", "A", "pump-1/accel/alarms"],
    ]);
    expect(alarms(out)[0].data).toMatchObject({ alarm: "vibration.zone", limit: 2.8, unit: "mm/s" });
  });

  it("diagnosis events and automatic snapshots are spaced by snapshotMinIntervalS; a request is not", () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0, snapshotMinIntervalS: 300 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    const out1 = run(p, [...sineBlocks(1, 0.1), ...sineBlocks(1, 0.35, 3200), ...sineBlocks(1, 0.1, 6400)]);
    expect(features(p, out1).map((r) => r.zone)).toEqual([1, 3, 1]);
    // The zone change at 1 s comes with a snapshot (and so an event); the way back at 2 s is within 300 s of it.
    expect(diagnoses(out1).map((r) => [r.data.changed, r.data.snapshot])).toEqual([
      [["start"], undefined],
      [undefined, ["zone"]],
    ]);
    p.requestSnapshot();
    const next = sineBlocks(1, 0.1, 9600);
    const out2 = run(p, next);
    expect(diagnoses(out2).map((r) => [r.data.zone, r.data.snapshot])).toEqual([["A", ["request"]]]);
    expect(blocks(out2)).toEqual(next);
    // A request is served once.
    const out3 = run(p, sineBlocks(1, 0.1, 12800));
    expect(blocks(out3)).toHaveLength(0);
    expect(diagnoses(out3)).toHaveLength(0);
    expect(features(p, out3)).toHaveLength(1);
  });

  it("a change suppressed by the interval is reported once the interval has passed", () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0, snapshotMinIntervalS: 2 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    // Start in A (event), C at 1 s (snapshot: allowed, first automatic one), A at 2 s (held), A at 3 s (reported).
    const out = run(p, [...sineBlocks(1, 0.1), ...sineBlocks(1, 0.35, 3200), ...sineBlocks(1, 0.1, 6400), ...sineBlocks(1, 0.1, 9600)]);
    expect(diagnoses(out).map((r) => [r.t - 1_700_000_000_000, r.data.zone, r.data.changed ?? null, r.data.snapshot ?? null])).toEqual([
      [0, "A", ["start"], null],
      [1000, "C", null, ["zone"]],
      // No snapshot: the zone did not change from the window before.
      [3000, "A", ["zone"], null],
    ]);
  });

  it("overlapping windows never send a block twice", () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", overlap: 0.5, snapshotEveryH: 0 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    const input = sineBlocks(2, 0.1);
    const c = collector();
    for (const r of input) {
      p.process(r, c.emit);
      p.requestSnapshot();
    }
    expect(features(p, c.records)).toHaveLength(3);
    expect(diagnoses(c.records).map((r) => r.data.snapshot)).toEqual([["request"], ["request"], ["request"]]);
    expect(blocks(c.records)).toEqual(input);
  });

  it("diagnoses a bearing: fault code and envelope amplitudes per window, an event and a snapshot on the new diagnosis", () => {
    const rate = 25600;
    const shaftRpm = 1500;
    const one: StreamInfo = { ...stream, channels: [{ name: "x", unit: "g", scale: SCALE, offset: 0 }] };
    const cfg = vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0, snapshotMinIntervalS: 0, shaftRpm, bearing: SKF_6205 });
    const p = createVibrationProcessor(cfg, one, testContext());
    const bpfo = faultFrequencies(SKF_6205, shaftRpm / 60).bpfo;
    const x = impactTrain({ n: 3 * rate, rateHz: rate, defectHz: bpfo, impactG: 2 });
    const input: BlockRecord[] = [];
    for (let s = 0; s < x.length; s += 2560) {
      input.push({ kind: "block", stream: one.name, t0: (s * 1000) / rate, rateHz: rate, channels: [Int32Array.from(x.subarray(s, s + 2560), (v) => Math.round(v / SCALE))] });
    }
    const out = run(p, input);
    const f = features(p, out);
    expect(f).toHaveLength(3);
    // fault code 1 = outer race; the envelope at BPFO stands far above the other defect frequencies.
    expect(f.map((r) => r.fault)).toEqual([1, 1, 1]);
    expect(f.every((r) => r.rpm === 1500 && r.conf > 0.5)).toBe(true);
    expect(f.every((r) => r["x.bpfo"] > 3 * Math.max(r["x.bpfi"], r["x.bsf"], r["x.ftf"]))).toBe(true);
    expect(f[0]["x.kurt"]).toBeGreaterThan(3);

    const d = diagnoses(out);
    expect(d).toHaveLength(1);
    expect(d[0].data).toMatchObject({ changed: ["start"], snapshot: ["diagnosis"], rpm: 1500, diagnosis: { fault: "outer-race", axis: "x" } });
    const axis = (d[0].data.axes as Record<string, Record<string, unknown>>).x;
    expect(axis.fault).toBe("outer-race");
    expect(Object.keys(axis.env as object).sort()).toEqual(["bpfi", "bpfo", "bsf", "ftf"]);
    expect(blocks(out)).toHaveLength(10);
  });

  it("takes the shaft speed from another stream when configured; envelope channels are 0 until it is known", () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", rpmFrom: { stream: "pump-1/tacho" }, bearing: SKF_6205 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    const before = features(p, run(p, sineBlocks(1, 0.1)))[0];
    expect([before.rpm, before["x.bpfo"], before["x.ftf"], before.fault]).toEqual([0, 0, 0, 0]);
    const tacho: PipelineRecord = { kind: "sample", stream: "pump-1/tacho", t: 0, values: [1480] };
    // Broadband noise: its envelope has some amplitude at every frequency.
    const noise = Int32Array.from(gaussian(3200, 0.1, 3), (v) => Math.round(v / SCALE));
    const noisy: BlockRecord[] = sineBlocks(1, 0.1, 3200).map((b, i) => ({ ...b, channels: b.channels.map(() => noise.slice(i * 320, (i + 1) * 320)) }));
    const out = run(p, [tacho, ...noisy]);
    expect(out[0]).toBe(tacho);
    const after = features(p, out)[0];
    expect(after.rpm).toBe(1480);
    expect(after["x.bpfo"]).toBeGreaterThan(0);
  });

  it("counts and drops malformed blocks without losing the window in progress", () => {
    const p = createVibrationProcessor(vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0 }), stream, testContext());
    const good = sineBlocks(1, 0.2);
    const broken: PipelineRecord[] = [
      { kind: "block", stream: stream.name, t0: 0, rateHz: 3200, channels: [new Int32Array(10)] },
      { kind: "block", stream: stream.name, t0: 0, rateHz: Number.NaN, channels: [new Int32Array(10), new Int32Array(10), new Int32Array(10)] },
      { kind: "block", stream: stream.name, t0: 0, rateHz: 3200, channels: [new Int32Array(10), new Int32Array(9), new Int32Array(10)] },
    ];
    const out = run(p, [...good.slice(0, 5), ...broken, ...good.slice(5)]);
    expect(p.counters()).toEqual({ windows: 1, snapshots: 0, rejected: 3, gaps: 0 });
    const f = features(p, out);
    expect(f).toHaveLength(1);
    expect(f[0]["x.rms"]).toBeCloseTo(0.2 / Math.SQRT2, 3);
  });

  it("a flat signal gives finite counts (crest and kurtosis 0), never a value the codec would refuse", () => {
    const p = createVibrationProcessor(vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0 }), stream, testContext());
    const flat: BlockRecord[] = Array.from({ length: 10 }, (_, b) => ({
      kind: "block",
      stream: stream.name,
      t0: b * 100,
      rateHz: 3200,
      channels: [0, 1, 2].map(() => new Int32Array(320).fill(1000)),
    }));
    const out = run(p, flat);
    const s = out.filter((r): r is SampleRecord => r.kind === "sample");
    expect(s).toHaveLength(1);
    expect(s[0].values).toEqual([1, ...new Array(15).fill(0)]);
  });

  it("features of a window stamped before the clock was trusted are flagged untrusted too", () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0, snapshotMinIntervalS: 0 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    const early = sineBlocks(1, 0.1).map((b) => ({ ...b, untrusted: true }));
    const out = run(p, [...early, ...sineBlocks(1, 0.35, 3200)]);
    const derived = out.filter((r) => r.kind !== "block");
    expect(derived.map((r) => [r.stream, r.untrusted ?? false])).toEqual([
      ["pump-1/accel/features", true],
      ["pump-1/accel/diagnosis", true],
      ["pump-1/accel/features", false],
      ["pump-1/accel/diagnosis", false],
      ["pump-1/accel/alarms", false],
    ]);
  });

  it("passes other records on unchanged", () => {
    const p = createVibrationProcessor(vibrationProcessor.parse({ type: "vibration" }), stream, testContext());
    const status: PipelineRecord = { kind: "event", stream: stream.name, t: 1, type: "status", data: { state: "offline" } };
    const other: PipelineRecord = { kind: "sample", stream: "room/t", t: 1, values: [2] };
    expect(run(p, [status, other])).toEqual([status, other]);
  });

  it("rejects an axis the stream does not have", () => {
    expect(() => createVibrationProcessor(vibrationProcessor.parse({ type: "vibration", axes: ["w"] }), stream, testContext())).toThrow(/no channel "w"/);
  });
});
