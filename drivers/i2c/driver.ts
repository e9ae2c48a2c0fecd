// What every I2C chip driver offers the runtime: identify and configure, then read counts.
import type { ChannelInfo, SampleBlock } from "../types.js";

/** A periodic sensor (temperature, humidity, pressure): one count per channel per read. */
export interface PeriodicDriver {
  readonly chip: string;
  readonly address: number;
  readonly channels: ChannelInfo[];
  /** Checks the chip's identity and configures it; throws DriverError ("id-mismatch" is not transient). */
  init(): Promise<void>;
  /** One measurement; throws DriverError (a CRC mismatch never yields a value). */
  read(): Promise<number[]>;
}

export interface AccelStats {
  /** Output data rate the chip is configured to. */
  odrHz: number;
  /** Samples actually delivered per second since init (below odrHz when the bus cannot keep up). */
  achievedHz: number;
  samples: number;
  overflows: number;
  lostSamples: number;
}

/** A FIFO accelerometer: blocks of counts per axis at the output data rate. */
export interface AccelDriver {
  readonly chip: string;
  readonly address: number;
  readonly channels: ChannelInfo[];
  /** The output data rate actually configured (the nearest the chip offers). */
  readonly rateHz: number;
  /** FIFO depth in samples: the runtime drains at least twice per FIFO fill. */
  readonly fifoSamples: number;
  init(): Promise<void>;
  /** Drains the FIFO; null when it held nothing new. */
  readBlock(): Promise<SampleBlock | null>;
  stats(): AccelStats;
}

export type Axis = "x" | "y" | "z";

export interface AccelOptions {
  rateHz: number;
  rangeG: 2 | 4 | 8 | 16;
  axes?: Axis[];
}

/** The nearest of the rates a chip offers. */
export function nearestRate<T>(table: ReadonlyArray<readonly [number, T]>, wanted: number): readonly [number, T] {
  let best = table[0];
  for (const e of table) if (Math.abs(Math.log(e[0] / wanted)) < Math.abs(Math.log(best[0] / wanted))) best = e;
  return best;
}

export function axisChannels(axes: Axis[], gPerCount: number): ChannelInfo[] {
  return axes.map((a) => ({ name: a, unit: "g", scale: gPerCount, offset: 0 }));
}

export function signed16(v: number): number {
  return v & 0x8000 ? v - 0x10000 : v;
}
