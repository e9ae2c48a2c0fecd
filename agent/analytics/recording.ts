// Offline analysis of a recording (raw int16 counts): what `edge-agent analyze` runs on a laptop, with the same
// functions as the gateway.
import { analyzeAxis, DEFAULT_ANALYSIS, type AnalysisOptions, type AxisAnalysis } from "./analyze-axis.js";
import type { BearingGeometry } from "./bearing.js";
import type { BearingFault } from "./diagnosis.js";
import { worstZone, type IsoZone } from "./iso10816.js";

/** Signed 16-bit little-endian counts, `channels` interleaved, scaled to g. */
export function decodeI16(bytes: Uint8Array, channels: number, scale: number): Float64Array[] {
  if (bytes.length % (2 * channels) !== 0) {
    throw new Error(`${bytes.length} bytes is not a whole number of ${channels}-channel int16 frames`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = bytes.length / (2 * channels);
  const out = Array.from({ length: channels }, () => new Float64Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) out[c][i] = view.getInt16(2 * (i * channels + c), true) * scale;
  }
  return out;
}

/** Parses "balls=9,ball=0.3126,pitch=1.537,angle=0". */
export function parseBearing(text: string): BearingGeometry {
  const fields = new Map<string, number>();
  for (const part of text.split(",")) {
    const [k, v] = part.split("=").map((s) => s.trim());
    const n = Number(v);
    if (!k || v === undefined || v === "" || !Number.isFinite(n)) throw new Error(`expected key=number in --bearing, got "${part}"`);
    fields.set(k, n);
  }
  const need = (k: string): number => {
    const v = fields.get(k);
    if (v === undefined || v <= 0) throw new Error(`--bearing needs ${k}=<positive number> (balls=9,ball=0.3126,pitch=1.537,angle=0)`);
    return v;
  };
  const unknown = [...fields.keys()].filter((k) => !["balls", "ball", "pitch", "angle"].includes(k));
  if (unknown.length) throw new Error(`unknown --bearing field(s): ${unknown.join(", ")}`);
  const balls = need("balls");
  if (!Number.isInteger(balls)) throw new Error(`--bearing balls must be an integer, got ${balls}`);
  const angle = fields.get("angle") ?? 0;
  if (angle < 0 || angle >= 90) throw new Error(`--bearing angle must be 0-90 degrees, got ${angle}`);
  return { balls, ballDiameter: need("ball"), pitchDiameter: need("pitch"), contactAngleDeg: angle };
}

export interface WindowResult {
  startS: number;
  axes: AxisAnalysis[];
}

export interface RecordingSummary {
  zone: IsoZone;
  maxVelocityMmS: number;
  /** Most frequent diagnosis over the windows (ties: the more confident), with its share of windows. */
  diagnosis: { fault: BearingFault; confidence: number; windows: number; of: number };
}

export interface RecordingAnalysis {
  rateHz: number;
  samples: number;
  windowS: number;
  windows: WindowResult[];
  summary: RecordingSummary;
}

/** windowS 0 analyses the whole recording as one window. */
export function analyzeRecording(axes: Float64Array[], rateHz: number, windowS: number, opts: Partial<AnalysisOptions> = {}): RecordingAnalysis {
  const options = { ...DEFAULT_ANALYSIS, ...opts };
  const total = axes[0]?.length ?? 0;
  const length = windowS > 0 ? Math.round(windowS * rateHz) : total;
  if (length < 16 || length > total) throw new Error(`window of ${length} samples does not fit a recording of ${total}`);
  const windows: WindowResult[] = [];
  for (let start = 0; start + length <= total; start += length) {
    windows.push({ startS: start / rateHz, axes: axes.map((a) => analyzeAxis(a.subarray(start, start + length), rateHz, options)) });
  }
  return { rateHz, samples: total, windowS: length / rateHz, windows, summary: summarise(windows) };
}

function summarise(windows: WindowResult[]): RecordingSummary {
  const all = windows.flatMap((w) => w.axes);
  const votes = new Map<BearingFault, { n: number; conf: number }>();
  for (const w of windows) {
    // Per window, the most confident axis speaks.
    const d = w.axes
      .map((a) => a.bearing?.diagnosis)
      .filter((x) => x !== undefined)
      .sort((a, b) => b.confidence - a.confidence)[0];
    if (!d) continue;
    const v = votes.get(d.fault) ?? { n: 0, conf: 0 };
    v.n++;
    v.conf += d.confidence;
    votes.set(d.fault, v);
  }
  const [fault, v] = [...votes.entries()].sort((a, b) => b[1].n - a[1].n || b[1].conf - a[1].conf)[0] ?? ["none", { n: 0, conf: 0 }];
  return {
    zone: worstZone(all.map((a) => a.zone)),
    maxVelocityMmS: Math.max(...all.map((a) => a.velocityMmS)),
    diagnosis: { fault, confidence: v.n ? Math.round((100 * v.conf) / v.n) / 100 : 0, windows: v.n, of: windows.length },
  };
}
