// Everything computed for one axis of one window, as pure functions of the samples (in g): shared by the
// vibration processor on the gateway and the `analyze` command on a laptop.
import { faultFrequencies, type BearingGeometry, type FaultOrders } from "./bearing.js";
import { diagnose, faultAmplitudes, type Diagnosis, type FaultAmplitudes } from "./diagnosis.js";
import { envelopeSpectrum } from "./envelope.js";
import { isoZone, type Foundation, type IsoZone, type MachineGroup } from "./iso10816.js";
import { bandRms, spectrum, topPeaks, type SpectralPeak } from "./spectrum.js";
import { timeFeatures, type TimeFeatures } from "./time-features.js";
import { velocityRmsMmS } from "./velocity.js";

export interface AnalysisOptions {
  machineGroup: MachineGroup;
  foundation: Foundation;
  /** Velocity band for the ISO zone (10-1000 Hz for machines above 600 rpm). */
  velocityBandHz: [number, number];
  /** Bands whose RMS acceleration (g) is reported. */
  bandsHz: [number, number][];
  topPeaks: number;
  shaftHz?: number;
  bearing?: BearingGeometry;
  /** Fixed demodulation band; otherwise chosen per window. */
  envelopeBandHz?: [number, number];
  harmonics: number;
}

export const DEFAULT_ANALYSIS: AnalysisOptions = {
  machineGroup: 2,
  foundation: "rigid",
  velocityBandHz: [10, 1000],
  bandsHz: [
    [10, 1000],
    [1000, 5000],
    [5000, 20000],
  ],
  topPeaks: 3,
  harmonics: 3,
};

export interface BearingAnalysis {
  shaftHz: number;
  frequencies: FaultOrders;
  band: [number, number];
  envelopeKurtosis: number;
  families: FaultAmplitudes[];
  diagnosis: Diagnosis;
}

export interface AxisAnalysis extends TimeFeatures {
  velocityMmS: number;
  zone: IsoZone;
  /** RMS (g) per configured band, in the order of `bandsHz`; bands above Nyquist are omitted. */
  bands: { loHz: number; hiHz: number; rms: number }[];
  peaks: SpectralPeak[];
  bearing?: BearingAnalysis;
}

export function analyzeAxis(xG: ArrayLike<number>, rateHz: number, opts: AnalysisOptions = DEFAULT_ANALYSIS): AxisAnalysis {
  const tf = timeFeatures(xG);
  const spec = spectrum(xG, rateHz);
  const nyq = rateHz / 2;
  const [vLo, vHi] = opts.velocityBandHz;
  const velocityMmS = velocityRmsMmS(spec, vLo, Math.min(vHi, nyq));
  const bands = opts.bandsHz
    .filter(([lo]) => lo < nyq)
    .map(([lo, hi]) => ({ loHz: lo, hiHz: Math.min(hi, nyq), rms: bandRms(spec, lo, Math.min(hi, nyq)) }));
  const result: AxisAnalysis = {
    ...tf,
    velocityMmS,
    zone: isoZone(velocityMmS, opts.machineGroup, opts.foundation),
    bands,
    peaks: topPeaks(spec, opts.topPeaks, 1),
  };
  if (opts.bearing && opts.shaftHz && opts.shaftHz > 0) result.bearing = analyzeBearing(xG, rateHz, opts.bearing, opts.shaftHz, opts);
  return result;
}

export function analyzeBearing(
  xG: ArrayLike<number>,
  rateHz: number,
  geometry: BearingGeometry,
  shaftHz: number,
  opts: Pick<AnalysisOptions, "envelopeBandHz" | "harmonics"> = DEFAULT_ANALYSIS,
): BearingAnalysis {
  const frequencies = faultFrequencies(geometry, shaftHz);
  const highest = Math.max(frequencies.bpfi, frequencies.bpfo, frequencies.bsf);
  // The demodulation band must be wide enough to carry the highest harmonic examined, and sit above it.
  const reach = opts.harmonics * highest;
  const env = envelopeSpectrum(xG, rateHz, { band: opts.envelopeBandHz, minWidthHz: reach, minLowHz: reach });
  const families = faultAmplitudes(env.spectrum, frequencies, { harmonics: opts.harmonics });
  return { shaftHz, frequencies, band: env.band, envelopeKurtosis: env.kurtosis, families, diagnosis: diagnose(families) };
}
