// Programmable physical signals for the emulators: what a chip "measures" at a given time.

export interface Climate {
  /** degC */
  temperature: number;
  /** %RH */
  humidity: number;
  /** Pa */
  pressure: number;
}

/** Climate at a time in epoch milliseconds. */
export type ClimateSignal = (tMs: number) => Climate;

/** Acceleration [x, y, z] in g at a time in seconds. */
export type VibrationSignal = (tS: number) => [number, number, number];

/** A small deterministic noise in [-1, 1]: tests must be reproducible, so no Math.random. */
function hashNoise(i: number): number {
  let x = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return ((x >>> 0) / 0xffffffff) * 2 - 1;
}

export function constantClimate(c: Partial<Climate> = {}): ClimateSignal {
  const v: Climate = { temperature: 21, humidity: 45, pressure: 101_325, ...c };
  return () => v;
}

/**
 * A commercial cold room: about 4 degC, a compressor cycle of ~20 min with +-0.6 K, a slow drift over hours, and
 * sensor-sized noise. Humidity moves against temperature, as it does in a closed cold room.
 */
export function coldRoomClimate(opts: { setpoint?: number; cycleMin?: number; seed?: number } = {}): ClimateSignal {
  const setpoint = opts.setpoint ?? 4;
  const cycleMs = (opts.cycleMin ?? 20) * 60_000;
  const seed = opts.seed ?? 1;
  return (tMs) => {
    const cycle = 0.6 * Math.sin((2 * Math.PI * tMs) / cycleMs);
    const drift = 0.3 * Math.sin((2 * Math.PI * tMs) / (6 * 3_600_000) + seed);
    const noise = 0.02 * hashNoise(Math.floor(tMs / 1000) + seed * 7919);
    const temperature = setpoint + cycle + drift + noise;
    return { temperature, humidity: 85 - 3 * cycle, pressure: 101_325 + 40 * Math.sin(tMs / 3_600_000) };
  };
}

export interface MotorOptions {
  /** Shaft frequency in Hz (1796 rpm = 29.93 Hz). */
  shaftHz?: number;
  /** Running-speed (1x) amplitude in g. */
  unbalanceG?: number;
  /** Bearing fault impulse rate in Hz (e.g. BPFO 3.5848 x shaft); 0 = healthy. */
  faultHz?: number;
  /** Peak of each impulse in g. */
  impulseG?: number;
  /** Structural resonance the impulses ring at, in Hz. */
  resonanceHz?: number;
  /** Ring-down time constant in seconds. */
  decayS?: number;
  /** Broadband noise in g. */
  noiseG?: number;
}

/**
 * A running motor seen by an accelerometer on its bearing housing: gravity on z, a 1x unbalance line, and a
 * bearing-fault impulse train (each impulse rings at a structural resonance and decays), plus broadband noise.
 */
export function motorVibration(opts: MotorOptions = {}): VibrationSignal {
  const shaftHz = opts.shaftHz ?? 29.93;
  const unbalance = opts.unbalanceG ?? 0.05;
  const faultHz = opts.faultHz ?? 3.5848 * shaftHz;
  const impulse = opts.impulseG ?? 0.8;
  const resonance = opts.resonanceHz ?? 1_100;
  const decay = opts.decayS ?? 0.002;
  const noise = opts.noiseG ?? 0.01;
  return (t) => {
    const w = 2 * Math.PI * shaftHz * t;
    let ring = 0;
    if (faultHz > 0) {
      const sinceImpulse = t - Math.floor(t * faultHz) / faultHz;
      ring = impulse * Math.exp(-sinceImpulse / decay) * Math.sin(2 * Math.PI * resonance * sinceImpulse);
    }
    const n = Math.floor(t * 48_000);
    return [
      unbalance * Math.sin(w) + ring + noise * hashNoise(n),
      unbalance * Math.cos(w) + 0.5 * ring + noise * hashNoise(n + 1_000_003),
      1 + 0.2 * ring + noise * hashNoise(n + 2_000_003),
    ];
  };
}

/** Replays a recorded single-axis waveform of counts (e.g. a CWRU file) on x, looping; y quiet, z gravity. */
export function recordedVibration(counts: ArrayLike<number>, rateHz: number, gPerCount: number): VibrationSignal {
  return (t) => {
    const i = Math.floor(t * rateHz) % counts.length;
    return [counts[i] * gPerCount, 0, 1];
  };
}

export function stillVibration(): VibrationSignal {
  return () => [0, 0, 1];
}
