import { describe, expect, it } from "vitest";
import { createVibrationProcessor } from "../../agent/analytics/processors.js";
import { faultFrequencies } from "../../agent/analytics/bearing.js";
import { Priority, type BlockRecord, type EventRecord, type PipelineRecord, type StreamInfo } from "../../agent/model.js";
import { vibrationProcessor } from "../../config/schema/processors-analytics.js";
import { collector, impactTrain, sine, SKF_6205, testContext } from "./helpers.js";

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

const features = (rs: PipelineRecord[]) => rs.filter((r): r is EventRecord => r.kind === "event" && r.type === "features");
const blocks = (rs: PipelineRecord[]) => rs.filter((r): r is BlockRecord => r.kind === "block");
const alarms = (rs: PipelineRecord[]) => rs.filter((r): r is EventRecord => r.kind === "event" && r.type.startsWith("alarm."));

function run(p: ReturnType<typeof createVibrationProcessor>, records: PipelineRecord[]): PipelineRecord[] {
  const c = collector();
  for (const r of records) p.process(r, c.emit);
  return c.records;
}

describe("vibration processor", () => {
  it("declares its features and alarm streams", () => {
    const p = createVibrationProcessor(vibrationProcessor.parse({ type: "vibration" }), stream, testContext());
    expect(p.streams).toEqual([
      expect.objectContaining({ name: "pump-1/accel/features", kind: "event", priority: Priority.features, group: "pump-1" }),
      expect.objectContaining({ name: "pump-1/accel/alarms", kind: "event", priority: Priority.alarm }),
    ]);
  });

  it("emits a features record per window and passes raw blocks only as the scheduled snapshot", () => {
    const p = createVibrationProcessor(vibrationProcessor.parse({ type: "vibration" }), stream, testContext());
    const input = sineBlocks(3, 0.2);
    const out = run(p, input);
    const f = features(out);
    expect(f).toHaveLength(3);
    expect(f.every((r) => r.stream === "pump-1/accel/features")).toBe(true);
    // 0.2 g peak at 100 Hz: 2.208 mm/s, zone B of group 2 rigid.
    const x = f[0].data.axes as Record<string, Record<string, unknown>>;
    expect(x.x.vel as number).toBeCloseTo(2.208, 1);
    expect(x.x.rms as number).toBeCloseTo(0.2 / Math.SQRT2, 3);
    expect(x.x.crest as number).toBeCloseTo(Math.SQRT2, 1);
    expect(x.x.zone).toBe("B");
    expect(x.x.peaks).toEqual([[100, expect.closeTo(0.2, 2)], expect.anything(), expect.anything()]);
    expect(f[0].data.zone).toBe("B");
    expect(f[0].data.snapshot).toEqual(["schedule"]);
    expect(f[1].data.snapshot).toBeUndefined();
    // The scheduled snapshot is the first window's ten blocks, unchanged (same objects, original stream).
    expect(blocks(out)).toEqual(input.slice(0, 10));
    expect(blocks(out)[0]).toBe(input[0]);
    expect(alarms(out)).toHaveLength(0);
  });

  it("a zone change sends a snapshot and raises, escalates and clears the zone alarm", () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0, snapshotMinIntervalS: 0 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    const quiet = sineBlocks(1, 0.1);
    const rough = sineBlocks(1, 0.35, 3200); // 3.86 mm/s: zone C
    const bad = sineBlocks(1, 0.6, 6400); // 6.6 mm/s: zone D
    const calm = sineBlocks(1, 0.1, 9600);
    const out = run(p, [...quiet, ...rough, ...bad, ...calm]);
    expect(features(out).map((r) => r.data.zone)).toEqual(["A", "C", "D", "A"]);
    expect(features(out).map((r) => r.data.snapshot)).toEqual([undefined, ["zone"], ["zone"], ["zone"]]);
    expect(blocks(out)).toEqual([...rough, ...bad, ...calm]);
    expect(alarms(out).map((a) => [a.type, a.severity, a.data.zone, a.stream])).toEqual([
      ["alarm.raise", "warning", "C", "pump-1/accel/alarms"],
      ["alarm.raise", "critical", "D", "pump-1/accel/alarms"],
      ["alarm.clear", "info", "A", "pump-1/accel/alarms"],
    ]);
    expect(alarms(out)[0].data).toMatchObject({ alarm: "vibration.zone", limit: 2.8, unit: "mm/s" });
  });

  it("automatic snapshots are spaced by snapshotMinIntervalS; a request is not", () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0, snapshotMinIntervalS: 300 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    const out1 = run(p, [...sineBlocks(1, 0.1), ...sineBlocks(1, 0.35, 3200), ...sineBlocks(1, 0.1, 6400)]);
    expect(features(out1).map((r) => r.data.snapshot)).toEqual([undefined, ["zone"], undefined]);
    p.requestSnapshot();
    const next = sineBlocks(1, 0.1, 9600);
    const out2 = run(p, next);
    expect(features(out2)[0].data.snapshot).toEqual(["request"]);
    expect(blocks(out2)).toEqual(next);
    // A request is served once.
    expect(blocks(run(p, sineBlocks(1, 0.1, 12800)))).toHaveLength(0);
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
    expect(features(c.records)).toHaveLength(3);
    expect(blocks(c.records)).toEqual(input);
  });

  it("diagnoses a bearing and sends a snapshot on the new diagnosis", () => {
    const rate = 25600;
    const shaftRpm = 1500;
    const one: StreamInfo = { ...stream, channels: [{ name: "x", unit: "g", scale: SCALE, offset: 0 }] };
    const cfg = vibrationProcessor.parse({ type: "vibration", snapshotEveryH: 0, snapshotMinIntervalS: 0, shaftRpm, bearing: SKF_6205 });
    const p = createVibrationProcessor(cfg, one, testContext());
    const bpfo = faultFrequencies(SKF_6205, shaftRpm / 60).bpfo;
    const x = impactTrain({ n: 2 * rate, rateHz: rate, defectHz: bpfo, impactG: 2 });
    const input: BlockRecord[] = [];
    for (let s = 0; s < x.length; s += 2560) {
      input.push({ kind: "block", stream: one.name, t0: (s * 1000) / rate, rateHz: rate, channels: [Int32Array.from(x.subarray(s, s + 2560), (v) => Math.round(v / SCALE))] });
    }
    const f = features(run(p, input));
    expect(f.map((r) => r.data.diagnosis)).toEqual([
      { fault: "outer-race", confidence: expect.any(Number), axis: "x" },
      { fault: "outer-race", confidence: expect.any(Number), axis: "x" },
    ]);
    expect(f.map((r) => r.data.snapshot)).toEqual([["diagnosis"], undefined]);
    const axis = (f[0].data.axes as Record<string, Record<string, unknown>>).x;
    expect(axis.fault).toBe("outer-race");
    expect(Object.keys(axis.env as object).sort()).toEqual(["bpfi", "bpfo", "bsf", "ftf"]);
  });

  it("takes the shaft speed from another stream when configured", () => {
    const cfg = vibrationProcessor.parse({ type: "vibration", rpmFrom: { stream: "pump-1/tacho" }, bearing: SKF_6205 });
    const p = createVibrationProcessor(cfg, stream, testContext());
    const before = features(run(p, sineBlocks(1, 0.1)))[0];
    expect((before.data.axes as Record<string, Record<string, unknown>>).x.env).toBeUndefined();
    const tacho: PipelineRecord = { kind: "sample", stream: "pump-1/tacho", t: 0, values: [1480] };
    const out = run(p, [tacho, ...sineBlocks(1, 0.1, 3200)]);
    expect(out[0]).toBe(tacho);
    const after = features(out)[0];
    expect(after.data.rpm).toBe(1480);
    expect((after.data.axes as Record<string, Record<string, unknown>>).x.env).toBeDefined();
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
    expect(p.counters().rejected).toBe(3);
    const f = features(out);
    expect(f).toHaveLength(1);
    expect((f[0].data.axes as Record<string, Record<string, unknown>>).x.rms as number).toBeCloseTo(0.2 / Math.SQRT2, 3);
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
