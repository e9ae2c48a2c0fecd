// Small deterministic inputs shared by the codec tests (never the real recordings: those are in tests/realdata).
import type { FrameInput, IrregularInput } from "../../agent/codec/index.js";

export const T0 = 1_700_000_000_000;

export function lcg(seed: number): () => number {
  let s = seed | 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 8) / 2 ** 24;
}

export function jitteredTemperature(n: number, seed = 1): { times: number[]; values: number[] } {
  const rnd = lcg(seed);
  const times: number[] = [];
  const values: number[] = [];
  let v = 2176;
  for (let i = 0; i < n; i++) {
    times.push(i === 0 ? T0 : times[i - 1] + 59_000 + 1000 * Math.floor(rnd() * 3));
    if (rnd() < 0.4) v += Math.round((rnd() - 0.5) * 10);
    values.push(v);
  }
  return { times, values };
}

export function vibration(n: number, seed = 2): Int32Array {
  const rnd = lcg(seed);
  const x = new Int32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.round(800 * Math.sin(i * 0.2) + 300 * Math.sin(i * 0.031) + 60 * (rnd() - 0.5));
  return x;
}

export function noise(n: number, seed: number): Int32Array {
  const rnd = lcg(seed);
  return Int32Array.from({ length: n }, () => Math.round((rnd() - 0.5) * 40));
}

export const sampleFrames: Record<string, FrameInput> = {
  irregular: { kind: "irregular", stream: "coldroom-1/temperature", seq: 41, channels: [{ name: "temperature", unit: "degC", scale: 0.01, offset: 0 }], ...pick(jitteredTemperature(60)) },
  bounded: { kind: "irregular", stream: "coldroom-1/temperature", seq: 42, channels: [{ name: "temperature", unit: "degC", scale: 0.01, offset: 0 }], ...pick(jitteredTemperature(200, 5)), maxError: 0.05, heartbeatMs: 900_000 },
  regular: { kind: "regular", stream: "pump-3/vibration", seq: 7, untrusted: true, channels: [{ name: "x", unit: "g", scale: 0.0039, offset: 0 }, { name: "y", unit: "g", scale: 0.0039, offset: 0 }], t0: T0, rateHz: 3200, values: [vibration(500, 3), vibration(500, 4)], gapBefore: { lostSamples: 32, reason: "fifo overflow" } },
  event: { kind: "event", stream: "coldroom-1/door", seq: 3, events: [{ t: T0, type: "door.open", severity: "warning", data: { room: "coldroom-1", openS: 0 } }] },
};

/** Inputs of the golden frames from version 2 on: the samples plus the compact header and every channel coding. */
export const goldenInputs: Record<string, FrameInput> = {
  ...sampleFrames,
  compact: { ...sampleFrames.irregular, header: "compact", untrusted: true, seq: 300_000 },
  "event-compact": { ...sampleFrames.event, header: "compact" },
  // Three axes through the LPC + Rice coding (Rice flag): a waveform, a constant axis (1 g) and small noise.
  waveform: { kind: "regular", stream: "motor-2/vibration", seq: 12, channels: ["x", "y", "z"].map((name) => ({ name, unit: "g", scale: 0.0039, offset: 0 })), t0: T0 + 5000, rateHz: 3200, values: [vibration(700, 6), new Int32Array(700).fill(256), noise(700, 7)] },
  // Counts beyond the Rice stage's exact range (2^24): regular values through the range coder.
  "regular-wide": { kind: "regular", stream: "strain-1/raw", seq: 2, channels: [{ name: "strain", unit: "", scale: 1e-9, offset: 0 }], t0: T0, rateHz: 100, values: [Array.from(vibration(50, 9), (v) => v * 40_000)] },
  "irregular-coding-1": { ...(sampleFrames.irregular as IrregularInput), payloadCoding: 1 },
  channels: {
    kind: "irregular",
    stream: "line-2/flow",
    seq: 9,
    channels: [
      { name: "flow", unit: "l/min", scale: 0.1, offset: 0 },
      { name: "temperature", unit: "degC", scale: 175 / 65535, offset: -45 },
      { name: "motor current", unit: "A", scale: 0.0625, offset: 0.5 },
      { name: "z", unit: "m/s2", scale: 1000, offset: 0 },
    ],
    times: [T0, T0 + 250, T0 + 750, T0 + 1000, T0 + 1250],
    values: [
      [10, 12, 11, 11, 13],
      [26000, 26010, 25990, 26001, 26002],
      [-3, 0, 4, 4, 4],
      [0, 1, -1, 2, -2],
    ],
  },
};

function pick(s: { times: number[]; values: number[] }): { times: number[]; values: number[][] } {
  return { times: s.times, values: [s.values] };
}
