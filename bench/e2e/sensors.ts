// Emulated sensors for the benchmark: a three-axis accelerometer at 3,200 Hz (ADXL345 full-resolution counts,
// 3.9 mg/LSB, datasheet table 1) on a machine with a running-speed tone and bearing noise, and temperature
// sensors at 1 Hz drifting around a cold-room set point in 0.01 degC counts.
import { Priority, type BlockRecord, type SampleRecord, type StreamInfo } from "../../agent/model.js";

export const VIB_RATE = 3200;
export const TEMP_SENSORS = 100;

export const vibStream: StreamInfo = {
  name: "machine-1/vibration",
  kind: "waveform",
  channels: ["x", "y", "z"].map((name) => ({ name, unit: "g", scale: 0.0039, offset: 0 })),
  priority: Priority.waveform,
};

export const tempStreams: StreamInfo[] = Array.from({ length: TEMP_SENSORS }, (_, i) => ({
  name: `coldroom-${Math.floor(i / 10)}/temp-${i % 10}`,
  kind: "periodic" as const,
  channels: [{ name: "t", unit: "degC", scale: 0.01, offset: 0 }],
  priority: Priority.periodic,
}));

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class VibrationSim {
  private n = 0;
  private readonly rand = rng(1);

  /** The next `count` samples as a block starting at t0. */
  block(t0: number, count: number): BlockRecord {
    const ch = [new Int32Array(count), new Int32Array(count), new Int32Array(count)];
    for (let i = 0; i < count; i++, this.n++) {
      const t = this.n / VIB_RATE;
      const tone = Math.sin(2 * Math.PI * 24.7 * t);
      const bearing = Math.sin(2 * Math.PI * 161.3 * t);
      const noise = () => (this.rand() - 0.5) * 6;
      ch[0][i] = Math.round(40 * tone + 6 * bearing + noise());
      ch[1][i] = Math.round(25 * Math.cos(2 * Math.PI * 24.7 * t) + 4 * bearing + noise());
      ch[2][i] = Math.round(256 + 10 * tone + noise());
    }
    return { kind: "block", stream: vibStream.name, t0, rateHz: VIB_RATE, channels: ch };
  }
}

export class TemperatureSim {
  private readonly values: number[];
  private readonly rand = rng(2);

  constructor() {
    this.values = tempStreams.map((_, i) => 300 + i * 3);
  }

  readings(t: number): SampleRecord[] {
    return tempStreams.map((s, i) => {
      if (this.rand() < 0.2) this.values[i] += this.rand() < 0.5 ? -1 : 1;
      return { kind: "sample", stream: s.name, t, values: [this.values[i]] };
    });
  }
}
