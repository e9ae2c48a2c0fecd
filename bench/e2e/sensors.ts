// Emulated sensors for the benchmark: a three-axis accelerometer at 3,200 Hz (ADXL345 full-resolution counts,
// 3.9 mg/LSB, datasheet table 1) on a motor at 1,796 rpm whose drive-end bearing (SKF 6205) has an outer-race
// defect, and temperature sensors at 1 Hz drifting around a cold-room set point in 0.01 degC counts.
import { Priority, type BlockRecord, type SampleRecord, type StreamInfo } from "../../agent/model.js";
import { seededRandom } from "../../drivers/seeded-random.js";

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

export const rng = seededRandom;

/** The emulated motor: shaft speed and drive-end bearing (SKF 6205: 9 balls, 0.3126 in balls on a 1.537 in pitch). */
export const SHAFT_RPM = 1796;
export const BEARING_6205 = { balls: 9, ballDiameter: 0.3126, pitchDiameter: 1.537, contactAngleDeg: 0 };
/** Ball-pass frequency of the outer race: n/2 (1 - d/D) x shaft Hz, about 107 Hz here. */
export const BPFO_HZ = (BEARING_6205.balls / 2) * (1 - BEARING_6205.ballDiameter / BEARING_6205.pitchDiameter) * (SHAFT_RPM / 60);
/** Each ball hitting the spall rings a structural resonance that dies out within a few milliseconds. */
const RESONANCE_HZ = 1150;
const RING_DECAY_S = 0.0015;

/**
 * The accelerometer's signal is computed once for TABLE_S seconds and then played in a loop: a real sensor's
 * samples arrive from the kernel's driver at no cost to the agent, so synthesising them (sines and exponentials per
 * sample) must not be counted as the agent's CPU. Ten seconds are long enough for the analytics' 1 s windows.
 */
const TABLE_S = 10;
/** The accelerometer's noise: uniform, +-3 counts (about 1.7 counts RMS, below the ADXL345's datasheet figure at 3,200 Hz). */
const NOISE_HALF_WIDTH = 3;

/** Entropy in bits of round(x + U), U uniform on [-h, h]: each integer k takes the share of the interval nearest it. */
export function roundedUniformEntropy(x: number, h: number): number {
  let bits = 0;
  for (let k = Math.round(x - h); k <= Math.round(x + h); k++) {
    const p = Math.max(0, Math.min(k + 0.5, x + h) - Math.max(k - 0.5, x - h)) / (2 * h);
    if (p > 0) bits -= p * Math.log2(p);
  }
  return bits;
}

export class VibrationSim {
  private static table: Int32Array[] | undefined;
  private n = 0;

  private static signal(): Int32Array[] {
    return (VibrationSim.table ??= VibrationSim.synthesise());
  }

  /** Computes the table; `onCount` sees each channel's noise-free value as its noisy count is drawn. */
  private static synthesise(onCount?: (clean: number) => void): Int32Array[] {
    const len = VIB_RATE * TABLE_S;
    const ch = [new Int32Array(len), new Int32Array(len), new Int32Array(len)];
    const rand = rng(1);
    const noise = (): number => (rand() - 0.5) * 2 * NOISE_HALF_WIDTH;
    const shaft = (2 * Math.PI * SHAFT_RPM) / 60;
    let lastImpact = -Infinity;
    let nextImpact = 0;
    for (let i = 0; i < len; i++) {
      const t = i / VIB_RATE;
      if (t >= nextImpact) {
        lastImpact = nextImpact;
        // The rolling elements slip a little: impacts are not exactly periodic.
        nextImpact += (1 + (rand() - 0.5) * 0.02) / BPFO_HZ;
      }
      const since = t - lastImpact;
      const ring = Math.exp(-since / RING_DECAY_S) * Math.sin(2 * Math.PI * RESONANCE_HZ * since);
      // Running-speed tone of slight unbalance (about 2 mm/s RMS: ISO 10816-3 zone B for a group 2 machine).
      const clean = [14 * Math.sin(shaft * t) + 30 * ring, 9 * Math.cos(shaft * t) + 18 * ring, 256 + 4 * Math.sin(shaft * t) + 8 * ring];
      for (let c = 0; c < 3; c++) {
        ch[c][i] = Math.round(clean[c] + noise());
        onCount?.(clean[c]);
      }
    }
    return ch;
  }

  /**
   * The information the sensor noise alone adds, in bits per three-axis sample: the entropy of each rounded count
   * given the exact noise-free signal, averaged over the table. No lossless coder can go below it, even one that knew
   * the motor's signal exactly; the bench compares it with the wire bytes per sample. Computed on a second synthesis
   * of the same table, so the processes that only play the table back never pay for it.
   */
  static noiseFloorBits(): number {
    let bits = 0;
    const table = VibrationSim.synthesise((clean) => (bits += roundedUniformEntropy(clean, NOISE_HALF_WIDTH)));
    return bits / table[0].length;
  }

  /** The next `count` samples as a block starting at t0 (a fresh copy, as a driver's read would hand over). */
  block(t0: number, count: number): BlockRecord {
    const table = VibrationSim.signal();
    const len = table[0].length;
    const from = this.n % len;
    const ch = table.map((src) => {
      if (from + count <= len) return src.slice(from, from + count);
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = src[(from + i) % len];
      return out;
    });
    this.n += count;
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
