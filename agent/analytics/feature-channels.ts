// The numbers of one vibration window as one sample of integer counts, so that the codec batches and compresses
// them like any periodic reading (a byte or so per value) instead of a JSON frame per window. The channel list is
// fixed by the config: a frame of the stream can always hold every window.
import type { ChannelInfo } from "../model.js";
import type { FaultKind } from "./bearing.js";
import type { BearingFault } from "./diagnosis.js";
import { zoneRank, type IsoZone } from "./iso10816.js";

/**
 * Resolution of each feature, in its unit. Each is finer than what a 1 s window can tell apart (the window-to-window
 * scatter of a steady machine is 10 to 100 times larger), so the rounding never hides a trend, and coarse enough that
 * the scatter costs few bits.
 */
export const RESOLUTION = {
  /** g: a tenth of the smallest step of the MPU-6050 at +-2 g (0.06 mg) is below any use. */
  rms: 0.0001,
  /** g: the peak of one window varies by several mg from window to window. */
  peak: 0.001,
  crest: 0.01,
  kurt: 0.01,
  /** mm/s: ISO 10816-3 boundaries are given to 0.1 mm/s. */
  vel: 0.01,
  /** g: envelope amplitudes of early bearing faults are a few mg. */
  env: 0.0001,
  rpm: 0.1,
  conf: 0.01,
} as const;

export const ENVELOPE_KINDS: readonly FaultKind[] = ["bpfo", "bpfi", "bsf", "ftf"];

/** Diagnosis as a number: 0 none, then in the order of the defect frequencies. */
export const FAULT_CODES: readonly BearingFault[] = ["none", "outer-race", "inner-race", "ball", "cage"];

export interface AxisFeatures {
  rms: number;
  peak: number;
  crest: number;
  kurtosis: number;
  velocityMmS: number;
  /** Envelope amplitude (g) at each defect frequency; absent when the shaft speed is not known yet. */
  envelope?: Partial<Record<FaultKind, number>>;
}

export interface WindowFeatures {
  zone: IsoZone;
  axes: AxisFeatures[];
  /** 0 or undefined: shaft speed not known (the envelope channels are then 0 too). */
  rpm?: number;
  fault: BearingFault;
  confidence: number;
}

export interface FeatureLayout {
  channels: ChannelInfo[];
  counts(f: WindowFeatures): number[];
}

/** Largest count the codec takes (its MAX_COUNT is 2^46); a feature beyond it is clamped rather than lost. */
const LIMIT = 2 ** 46 - 1;

function count(value: number, resolution: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.max(-LIMIT, Math.min(LIMIT, Math.round(value / resolution)));
}

/** Channels: `zone` (A=1 .. D=4), per axis `<axis>.rms|peak|crest|kurt|vel`, and with a bearing `rpm`, `fault`,
 * `conf` and per axis `<axis>.bpfo|bpfi|bsf|ftf`. */
export function featureLayout(axes: readonly string[], bearing: boolean): FeatureLayout {
  const channels: ChannelInfo[] = [{ name: "zone", unit: "", scale: 1, offset: 0 }];
  const ch = (name: string, unit: string, scale: number) => channels.push({ name, unit, scale, offset: 0 });
  for (const a of axes) {
    ch(`${a}.rms`, "g", RESOLUTION.rms);
    ch(`${a}.peak`, "g", RESOLUTION.peak);
    ch(`${a}.crest`, "", RESOLUTION.crest);
    ch(`${a}.kurt`, "", RESOLUTION.kurt);
    ch(`${a}.vel`, "mm/s", RESOLUTION.vel);
  }
  if (bearing) {
    ch("rpm", "rpm", RESOLUTION.rpm);
    ch("fault", "", 1);
    ch("conf", "", RESOLUTION.conf);
    for (const a of axes) for (const k of ENVELOPE_KINDS) ch(`${a}.${k}`, "g", RESOLUTION.env);
  }
  return {
    channels,
    counts(f) {
      const out = [zoneRank(f.zone) + 1];
      for (const x of f.axes) {
        out.push(count(x.rms, RESOLUTION.rms), count(x.peak, RESOLUTION.peak), count(x.crest, RESOLUTION.crest));
        out.push(count(x.kurtosis, RESOLUTION.kurt), count(x.velocityMmS, RESOLUTION.vel));
      }
      if (bearing) {
        out.push(count(f.rpm ?? 0, RESOLUTION.rpm), Math.max(0, FAULT_CODES.indexOf(f.fault)), count(f.confidence, RESOLUTION.conf));
        for (const x of f.axes) for (const k of ENVELOPE_KINDS) out.push(count(x.envelope?.[k] ?? 0, RESOLUTION.env));
      }
      return out;
    },
  };
}

/** Physical values of a features sample by channel name (for tests, the CLI and whoever reads the stream). */
export function readFeatures(channels: readonly ChannelInfo[], counts: readonly number[]): Record<string, number> {
  // toPrecision drops the binary noise of count * scale (2208 * 0.01 = 22.080000000000002).
  return Object.fromEntries(channels.map((c, i) => [c.name, Number((counts[i] * c.scale + c.offset).toPrecision(12))]));
}
