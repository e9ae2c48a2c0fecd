// Plain-text table of a recording's analysis, for an analyst's terminal.
import type { AxisAnalysis } from "./analyze-axis.js";
import type { RecordingAnalysis } from "./recording.js";

const num = (v: number, digits = 3): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(digits));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n");
}

function featureRow(label: string, a: AxisAnalysis): string[] {
  return [
    label,
    num(a.rms),
    num(a.peak),
    num(a.p2p),
    num(a.crest),
    num(a.kurtosis),
    num(a.velocityMmS),
    a.zone,
    a.peaks.map((p) => `${p.hz.toFixed(1)}Hz:${num(p.amp, 2)}`).join(" ") || "-",
    a.bearing ? `${a.bearing.diagnosis.fault}${a.bearing.diagnosis.fault === "none" ? "" : ` (${a.bearing.diagnosis.confidence})`}` : "-",
  ];
}

export function formatRecording(file: string, r: RecordingAnalysis): string {
  const out: string[] = [];
  out.push(`${file}: ${r.samples} samples at ${r.rateHz} Hz (${(r.samples / r.rateHz).toFixed(2)} s), ${r.windows.length} window(s) of ${r.windowS.toFixed(3)} s`);
  out.push("");
  const header = ["window/axis", "rms g", "peak g", "p2p g", "crest", "kurtosis", "vel mm/s", "ISO", "top peaks (g)", "diagnosis"];
  const rows = [header];
  for (const w of r.windows) w.axes.forEach((a, i) => rows.push(featureRow(`${w.startS.toFixed(2)}s/${i}`, a)));
  out.push(table(rows));

  const first = r.windows[0]?.axes[0]?.bearing;
  if (first) {
    out.push("");
    out.push(`Bearing at ${(first.shaftHz * 60).toFixed(0)} rpm (${first.shaftHz.toFixed(2)} Hz); envelope band ${first.band.map((b) => b.toFixed(0)).join("-")} Hz, window 1, axis 0:`);
    const brows = [["fault", "Hz", "amp 1x/2x/3x (g)", "prominence 1x/2x/3x", "score"]];
    for (const f of first.families) {
      brows.push([
        f.kind.toUpperCase(),
        f.hz.toFixed(2),
        f.harmonics.map((a) => num(a, 2)).join("/"),
        f.prominence.map((p) => p.toFixed(1)).join("/"),
        f.score.toFixed(1),
      ]);
    }
    out.push(table(brows));
  }
  const s = r.summary;
  out.push("");
  out.push(`ISO 10816-3 zone: ${s.zone} (max velocity ${num(s.maxVelocityMmS)} mm/s RMS)`);
  if (first) {
    out.push(`Diagnosis: ${s.diagnosis.fault}${s.diagnosis.fault === "none" ? "" : `, confidence ${s.diagnosis.confidence}`} (${s.diagnosis.windows} of ${s.diagnosis.of} window(s))`);
  } else {
    out.push("Diagnosis: not computed (give --rpm and --bearing)");
  }
  return out.join("\n");
}
