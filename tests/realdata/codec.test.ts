// Round trips on every recording of ../shared/data. Missing data is a failure, never a skip.
import { describe, expect, it } from "vitest";
import { decodeFrame } from "../../agent/codec/index.js";
import { encodeIrregularSeries, encodeRegularSeries } from "../../agent/codec/files.js";
import { worstError } from "../codec/bounded-check.js";
import { listDataFiles, loadTemperature, loadVibration, TEMPERATURE_RESOLUTION } from "../../bench/codec/datasets.js";

const files = listDataFiles(); // throws (fails the suite) when ../shared/data is missing

describe("real data is present", () => {
  it("has the temperature and vibration recordings", () => {
    expect(files.temperature.length).toBeGreaterThanOrEqual(3);
    expect(files.vibration.length).toBeGreaterThanOrEqual(3);
  });
});

describe.each(files.vibration)("vibration %s", (file) => {
  const s = loadVibration(file);
  const channel = { name: "drive-end", unit: "g", scale: s.scale, offset: 0 };
  it.each([["whole file", undefined], ["1 s frames", s.rateHz]] as const)("lossless round trip, %s", (_label, batch) => {
    const frames = encodeRegularSeries(s.counts, 1_400_000_000_000, s.rateHz, { stream: s.name, channel, batch });
    const decoded = frames.flatMap((f) => Array.from(decodeFrame(f.bytes).channels[0].counts));
    expect(decoded).toEqual(Array.from(s.counts));
    expect(frames.reduce((n, f) => n + f.bytes.length, 0)).toBeLessThan(s.counts.length * 2);
  });
});

describe.each(files.temperature)("temperature %s", (file) => {
  const s = loadTemperature(file);
  const channel = { name: "temperature", unit: "degC", scale: TEMPERATURE_RESOLUTION, offset: 0 };
  it.each([["whole file", undefined], ["60-sample frames", 60], ["600-sample frames", 600]] as const)("lossless round trip, %s", (_label, batch) => {
    const frames = encodeIrregularSeries(s.times, s.counts, { stream: s.name, channel, batch });
    const times = frames.flatMap((f) => Array.from(decodeFrame(f.bytes).times));
    const counts = frames.flatMap((f) => Array.from(decodeFrame(f.bytes).channels[0].counts));
    expect(times).toEqual(s.times);
    expect(counts).toEqual(s.counts);
  });

  it.each([900_000, 3_600_000])("bounded error 0.05 degC holds on every point, heartbeat %i ms", (heartbeatMs) => {
    const [f] = encodeIrregularSeries(s.times, s.counts, { stream: s.name, channel, maxError: 0.05, heartbeatMs });
    const d = decodeFrame(f.bytes);
    const worst = worstError(s.times, s.counts, d) * TEMPERATURE_RESOLUTION;
    expect(worst).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(d.count).toBeLessThanOrEqual(s.times.length);
    // Vertices are at most the heartbeat apart unless the readings themselves were further apart.
    const longest = s.times.reduce((m, t, i) => (i ? Math.max(m, t - s.times[i - 1]) : m), heartbeatMs);
    for (let k = 1; k < d.count; k++) expect(d.times[k] - d.times[k - 1]).toBeLessThanOrEqual(longest);
  });
});
