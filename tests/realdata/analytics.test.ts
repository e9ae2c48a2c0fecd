// The analytics on real bearing recordings (CWRU Bearing Data Center, ../shared/data/vibration). These files are
// never in the repository; when they are missing this suite fails, it does not skip.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createVibrationProcessor } from "../../agent/analytics/processors.js";
import { FAULT_CODES, readFeatures } from "../../agent/analytics/feature-channels.js";
import { analyzeRecording, decodeI16 } from "../../agent/analytics/recording.js";
import type { BearingGeometry } from "../../agent/analytics/bearing.js";
import { silentLogger } from "../../agent/log.js";
import { Priority, type BlockRecord, type EventRecord, type PipelineRecord, type SampleRecord } from "../../agent/model.js";
import { RoomState } from "../../agent/pipeline/room-state.js";
import type { RuntimeContext } from "../../agent/runtime/context.js";
import { vibrationProcessor } from "../../config/schema/processors-analytics.js";

const DIR = process.env.EDGE_AGENT_SHARED_DATA
  ? `${process.env.EDGE_AGENT_SHARED_DATA}/vibration`
  : fileURLToPath(new URL("../../../shared/data/vibration", import.meta.url));

interface Sidecar {
  sample_rate_hz: number;
  scale_g_per_count: number;
  shaft_rpm: number;
  label: string;
  bearing: { balls: number; ball_diameter_in: number; pitch_diameter_in: number; contact_angle_deg: number };
}

function load(name: string): { meta: Sidecar; counts: Uint8Array; geometry: BearingGeometry } {
  const json = `${DIR}/${name}.json`;
  const raw = `${DIR}/${name}.i16`;
  if (!existsSync(json) || !existsSync(raw)) {
    throw new Error(`real-data recording ${name} missing in ${DIR}: this suite needs ../shared/data (see its README)`);
  }
  const meta = JSON.parse(readFileSync(json, "utf8")) as Sidecar;
  const b = meta.bearing;
  return {
    meta,
    counts: readFileSync(raw),
    geometry: { balls: b.balls, ballDiameter: b.ball_diameter_in, pitchDiameter: b.pitch_diameter_in, contactAngleDeg: b.contact_angle_deg },
  };
}

function analyze(name: string, windowS: number) {
  const { meta, counts, geometry } = load(name);
  const axes = decodeI16(counts, 1, meta.scale_g_per_count);
  return analyzeRecording(axes, meta.sample_rate_hz, windowS, { bearing: geometry, shaftHz: meta.shaft_rpm / 60 });
}

describe("CWRU real recordings", () => {
  it("the data is there (fails, never skips, without ../shared/data)", () => {
    for (const name of ["cwru-normal-48k", "cwru-inner-race-48k", "cwru-inner-race-12k"]) expect(() => load(name)).not.toThrow();
  });

  for (const name of ["cwru-inner-race-48k", "cwru-inner-race-12k"]) {
    it(`${name}: diagnosed inner race, BPFI dominant, over the whole recording and in every 1 s window`, () => {
      const whole = analyze(name, 0);
      expect(whole.summary.diagnosis.fault).toBe("inner-race");
      const fam = whole.windows[0].axes[0].bearing!.families;
      const bpfi = fam.find((f) => f.kind === "bpfi")!;
      expect(Math.max(...fam.map((f) => f.score))).toBe(bpfi.score);
      expect(bpfi.hz).toBeCloseTo(162.1, 0);

      const windows = analyze(name, 1);
      expect(windows.windows.length).toBeGreaterThanOrEqual(5);
      expect(windows.windows.map((w) => w.axes[0].bearing!.diagnosis.fault)).toEqual(windows.windows.map(() => "inner-race"));
    });
  }

  it("cwru-normal-48k: no fault, and its ISO 10816-3 zone is reported", () => {
    const whole = analyze("cwru-normal-48k", 0);
    expect(whole.summary.diagnosis.fault).toBe("none");
    // A healthy 2 hp motor test rig: far below the group 2 rigid A/B boundary of 1.4 mm/s.
    expect(whole.summary.zone).toBe("A");
    expect(whole.summary.maxVelocityMmS).toBeGreaterThan(0.01);
    expect(whole.summary.maxVelocityMmS).toBeLessThan(1.4);
    const windows = analyze("cwru-normal-48k", 1);
    expect(windows.windows.map((w) => w.axes[0].bearing!.diagnosis.fault)).toEqual(windows.windows.map(() => "none"));
  });

  it("the vibration processor on the gateway diagnoses the 12 kHz inner-race recording in every window and sends a snapshot", () => {
    const { meta, counts, geometry } = load("cwru-inner-race-12k");
    const samples = new Int16Array(counts.buffer, counts.byteOffset, counts.byteLength / 2);
    const stream = { name: "rig/de", kind: "waveform" as const, priority: Priority.waveform, channels: [{ name: "de", unit: "g", scale: meta.scale_g_per_count, offset: 0 }] };
    const ctx: RuntimeContext = {
      config: {} as RuntimeContext["config"],
      log: silentLogger(),
      now: () => 0,
      rooms: new RoomState(),
      gatewayId: "realdata",
      dataDir: "/nonexistent",
      shared: new Map(),
      onClose: () => {},
    };
    const cfg = vibrationProcessor.parse({ type: "vibration", windowS: 1, shaftRpm: meta.shaft_rpm, bearing: geometry, snapshotEveryH: 0 });
    const p = createVibrationProcessor(cfg, stream, ctx);
    const out: PipelineRecord[] = [];
    const per = 1200; // 0.1 s FIFO reads
    for (let s = 0; s + per <= samples.length; s += per) {
      const block: BlockRecord = { kind: "block", stream: stream.name, t0: (s * 1000) / meta.sample_rate_hz, rateHz: meta.sample_rate_hz, channels: [Int32Array.from(samples.subarray(s, s + per))] };
      p.process(block, (r) => out.push(r));
    }
    // Per window the diagnosis travels as a number in the features sample (fault code 2: inner race)...
    const featuresInfo = p.streams.find((s) => s.name === "rig/de/features")!;
    const features = out.filter((r): r is SampleRecord => r.kind === "sample" && r.stream === featuresInfo.name).map((r) => readFeatures(featuresInfo.channels, r.values));
    expect(features).toHaveLength(10);
    expect(features.map((f) => FAULT_CODES[f.fault])).toEqual(features.map(() => "inner-race"));
    expect(features.every((f) => f.rpm === meta.shaft_rpm && f["de.bpfi"] > Math.max(f["de.bpfo"], f["de.bsf"], f["de.ftf"]))).toBe(true);
    // ...and by name in a diagnosis event, sent once (the first window, with the snapshot), not every window.
    const events = out.filter((r): r is EventRecord => r.kind === "event" && r.stream === "rig/de/diagnosis");
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.length).toBeLessThan(features.length);
    expect(events[0].data).toMatchObject({ changed: ["start"], snapshot: ["diagnosis"], diagnosis: { fault: "inner-race", axis: "de" } });
    expect(events.every((e) => (e.data.diagnosis as { fault: string }).fault === "inner-race")).toBe(true);
    expect(out.filter((r) => r.kind === "block")).toHaveLength(10);
  });
});
