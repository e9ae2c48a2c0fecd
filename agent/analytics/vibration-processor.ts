// Vibration condition monitoring on the gateway: per window one features sample (integer counts the codec batches),
// a diagnosis event only when the picture changes, waveform snapshots only when they matter (zone change, new
// diagnosis, schedule, request), and zone alarms.
import type { VibrationConfig } from "../../config/schema/processors-analytics.js";
import { RateLimitedLog } from "../log.js";
import { Priority, type BlockRecord, type Emit, type PipelineRecord, type StreamInfo } from "../model.js";
import type { Processor } from "../pipeline/stages.js";
import type { RuntimeContext } from "../runtime/context.js";
import { analyzeAxis, DEFAULT_ANALYSIS, type AnalysisOptions, type AxisAnalysis } from "./analyze-axis.js";
import { sig4 } from "./compact.js";
import type { BearingFault } from "./diagnosis.js";
import { featureLayout, type WindowFeatures } from "./feature-channels.js";
import { worstZone, zoneBoundaries, zoneRank, type IsoZone } from "./iso10816.js";
import { WindowBuffer, type Window } from "./window-buffer.js";

export type SnapshotReason = "zone" | "diagnosis" | "schedule" | "request";
/** Why a diagnosis event was sent (besides a snapshot, which always carries one). */
export type DiagnosisChange = "start" | "zone" | "diagnosis" | "rate";

export interface VibrationProcessor extends Processor {
  /** The next complete window is passed on as raw blocks, whatever its features. */
  requestSnapshot(): void;
  /** Shaft speed from elsewhere (a tachometer, a Modbus register read by the runtime). */
  setShaftRpm(rpm: number): void;
  counters(): { windows: number; snapshots: number; rejected: number; gaps: number };
}

/** Windows between two searches of the demodulation band (the search costs about ten times one analysis). */
const BAND_SEARCH_EVERY = 60;

/** Velocity must fall this far below the alarm boundary before a zone alarm clears (no chatter at the boundary). */
const CLEAR_RATIO = 0.9;

/** A diagnosis confidence that moved this much since the last diagnosis event is reported (not every wobble). */
const CONFIDENCE_STEP = 0.25;

export function createVibrationProcessor(cfg: VibrationConfig, stream: StreamInfo, ctx: RuntimeContext): VibrationProcessor {
  const alarmStream: StreamInfo = { name: `${stream.name}/alarms`, kind: "event", channels: [], priority: Priority.alarm, group: stream.group };
  const rl = new RateLimitedLog(ctx.log, 60_000, ctx.now);

  const axisIdx = (cfg.axes ?? stream.channels.map((c) => c.name)).map((name) => {
    const i = stream.channels.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`vibration processor on ${stream.name}: no channel "${name}" (has ${stream.channels.map((c) => c.name).join(", ")})`);
    return i;
  });
  const axisNames = axisIdx.map((i) => stream.channels[i].name);
  const layout = featureLayout(axisNames, cfg.bearing !== undefined);
  const featuresStream: StreamInfo = { name: `${stream.name}/features`, kind: "periodic", channels: layout.channels, priority: Priority.features, group: stream.group };
  const diagnosisStream: StreamInfo = { name: `${stream.name}/diagnosis`, kind: "event", channels: [], priority: Priority.features, group: stream.group };
  const windows = new WindowBuffer(
    axisIdx,
    axisIdx.map((i) => ({ scale: stream.channels[i].scale, offset: stream.channels[i].offset })),
    cfg.windowS,
    cfg.overlap,
  );
  const [, bc, cd] = zoneBoundaries(cfg.machineGroup, cfg.foundation);
  const alarmBoundary = cfg.alarmZone === "C" ? bc : cd;

  let shaftRpm = cfg.shaftRpm;
  let lastZone: IsoZone | undefined;
  let lastFault: BearingFault = "none";
  let lastAutoSnapshot = -Infinity;
  let lastScheduled: number | undefined;
  let requested = false;
  let alarmZone: IsoZone | undefined;
  /** What the last diagnosis event said, to send the next one only on a change. */
  let reported: { t: number; zone: IsoZone; fault: BearingFault; axis?: number; confidence: number; rateHz: number; n: number } | undefined;
  const sent = new WeakSet<BlockRecord>();
  const bands: ([number, number] | undefined)[] = [];
  const count = { windows: 0, snapshots: 0, rejected: 0, gaps: 0 };

  const options = (): AnalysisOptions => ({
    ...DEFAULT_ANALYSIS,
    machineGroup: cfg.machineGroup,
    foundation: cfg.foundation,
    velocityBandHz: cfg.velocityBandHz,
    bandsHz: cfg.bandsHz,
    topPeaks: cfg.topPeaks,
    harmonics: cfg.harmonics,
    envelopeBandHz: cfg.envelopeBandHz,
    bearing: cfg.bearing,
    shaftHz: shaftRpm ? shaftRpm / 60 : undefined,
  });

  function validBlock(r: BlockRecord): string | undefined {
    if (!(r.rateHz > 0) || !Number.isFinite(r.rateHz)) return `bad rate ${r.rateHz}`;
    if (r.channels.length !== stream.channels.length) return `${r.channels.length} channels, expected ${stream.channels.length}`;
    const n = r.channels[0].length;
    if (r.channels.some((c) => c.length !== n)) return "channels of unequal length";
    return undefined;
  }

  function takeRpm(r: PipelineRecord): void {
    if (!cfg.rpmFrom || r.kind !== "sample" || r.stream !== cfg.rpmFrom.stream) return;
    // The rpm stream's channel scale is not ours to know: its first value is taken as rpm. A source with a scaled
    // register is wired through setShaftRpm instead.
    const v = r.values[0];
    if (Number.isFinite(v) && v > 0) shaftRpm = v;
  }

  function onWindow(w: Window, emit: Emit): void {
    count.windows++;
    // The resonance band is a property of the machine's structure: search it again only every so many windows.
    const research = count.windows % BAND_SEARCH_EVERY === 1;
    const results = w.axes.map((x, a) => {
      const opts = options();
      if (!opts.envelopeBandHz && !research && bands[a]) opts.envelopeBandHz = bands[a];
      const r = analyzeAxis(x, w.rateHz, opts);
      if (r.bearing && !cfg.envelopeBandHz) bands[a] = r.bearing.band;
      return r;
    });
    const zone = worstZone(results.map((r) => r.zone));
    const velocity = Math.max(...results.map((r) => r.velocityMmS));
    const diag = dominantDiagnosis(results);

    const reasons: SnapshotReason[] = [];
    const autoAllowed = w.t0 - lastAutoSnapshot >= cfg.snapshotMinIntervalS * 1000;
    if (lastZone !== undefined && zone !== lastZone && autoAllowed) reasons.push("zone");
    if (diag.fault !== "none" && diag.fault !== lastFault && autoAllowed) reasons.push("diagnosis");
    const period = cfg.snapshotEveryH * 3_600_000;
    if (period > 0 && (lastScheduled === undefined || w.t0 - lastScheduled >= period)) reasons.push("schedule");
    if (requested) reasons.push("request");
    lastZone = zone;
    if (diag.fault !== "none") lastFault = diag.fault;

    const t = Math.round(w.t0);
    // The window's time is its samples' time: stamped before the clock was trusted, it stays flagged as such.
    const stamp = w.blocks.some((b) => b.untrusted) ? { untrusted: true } : {};
    const n = w.axes[0].length;
    const numbers: WindowFeatures = {
      zone,
      rpm: results.some((r) => r.bearing) ? shaftRpm : undefined,
      fault: diag.fault,
      confidence: diag.confidence,
      axes: results.map((r) => ({
        ...r,
        envelope: r.bearing ? Object.fromEntries(r.bearing.families.map((f) => [f.kind, f.harmonics[0] ?? 0])) : undefined,
      })),
    };
    emit({ kind: "sample", stream: featuresStream.name, t, values: layout.counts(numbers), ...stamp });

    const changed: DiagnosisChange[] = [];
    if (!reported) changed.push("start");
    else if (w.t0 - reported.t >= cfg.snapshotMinIntervalS * 1000) {
      // A machine on a zone boundary or a fault at the edge of detection would otherwise report every window.
      if (zone !== reported.zone) changed.push("zone");
      if (diag.fault !== reported.fault || diag.axis !== reported.axis || Math.abs(diag.confidence - reported.confidence) >= CONFIDENCE_STEP) {
        changed.push("diagnosis");
      }
      if (w.rateHz !== reported.rateHz || n !== reported.n) changed.push("rate");
    }
    if (changed.length || reasons.length) {
      reported = { t: w.t0, zone, fault: diag.fault, axis: diag.axis, confidence: diag.confidence, rateHz: w.rateHz, n };
      emit({
        kind: "event",
        ...stamp,
        stream: diagnosisStream.name,
        t,
        type: "diagnosis",
        severity: "info",
        data: {
          ...(changed.length ? { changed } : {}),
          ...(reasons.length ? { snapshot: reasons } : {}),
          rateHz: w.rateHz,
          n,
          zone,
          ...(shaftRpm ? { rpm: sig4(shaftRpm) } : {}),
          diagnosis: { fault: diag.fault, confidence: diag.confidence, ...(diag.axis !== undefined ? { axis: axisNames[diag.axis] } : {}) },
          axes: Object.fromEntries(results.map((r, i) => [axisNames[i], axisDetail(r)])),
        },
      });
    }

    if (reasons.length) {
      if (reasons.includes("zone") || reasons.includes("diagnosis")) lastAutoSnapshot = w.t0;
      if (reasons.includes("schedule")) lastScheduled = w.t0;
      requested = false;
      count.snapshots++;
      for (const b of w.blocks) {
        if (sent.has(b)) continue;
        sent.add(b);
        emit(b);
      }
    }
    zoneAlarm(t, stamp, zone, velocity, emit);
  }

  function zoneAlarm(t: number, stamp: { untrusted?: boolean }, zone: IsoZone, velocity: number, emit: Emit): void {
    const alarming = zoneRank(zone) >= zoneRank(cfg.alarmZone);
    const data = { alarm: "vibration.zone", zone, value: sig4(velocity), limit: alarmBoundary, unit: "mm/s" };
    if (alarming && (alarmZone === undefined || zoneRank(zone) > zoneRank(alarmZone))) {
      alarmZone = zone;
      emit({ kind: "event", ...stamp, stream: alarmStream.name, t, type: "alarm.raise", severity: zone === "D" ? "critical" : "warning", data });
    } else if (alarmZone !== undefined && velocity < alarmBoundary * CLEAR_RATIO) {
      alarmZone = undefined;
      emit({ kind: "event", ...stamp, stream: alarmStream.name, t, type: "alarm.clear", severity: "info", data });
    }
  }

  return {
    id: `vibration:${stream.name}`,
    streams: [featuresStream, diagnosisStream, alarmStream],
    process(record, emit) {
      takeRpm(record);
      if (record.stream !== stream.name || record.kind !== "block") {
        emit(record);
        return;
      }
      const bad = validBlock(record);
      if (bad) {
        count.rejected++;
        rl.warn(`vibration:${stream.name}:block`, "vibration block rejected", { stream: stream.name, reason: bad, rejected: count.rejected });
        return;
      }
      if (record.gapBefore) count.gaps++;
      for (const w of windows.push(record)) onWindow(w, emit);
    },
    requestSnapshot() {
      requested = true;
    },
    setShaftRpm(rpm) {
      if (!(Number.isFinite(rpm) && rpm > 0)) return;
      // Other defect frequencies may need another band.
      if (shaftRpm === undefined || Math.abs(rpm - shaftRpm) / shaftRpm > 0.1) bands.length = 0;
      shaftRpm = rpm;
    },
    counters: () => ({ ...count }),
  };
}

/** The axis whose bearing diagnosis is most confident names the fault of the window. */
function dominantDiagnosis(results: AxisAnalysis[]): { fault: BearingFault; confidence: number; axis?: number } {
  let best: { fault: BearingFault; confidence: number; axis?: number } = { fault: "none", confidence: 0 };
  results.forEach((r, i) => {
    const d = r.bearing?.diagnosis;
    if (d && d.fault !== "none" && d.confidence >= best.confidence) best = { fault: d.fault, confidence: d.confidence, axis: i };
  });
  return best;
}

/** What the features sample does not carry: spectral detail and the axis' own diagnosis. */
function axisDetail(r: AxisAnalysis): Record<string, unknown> {
  const out: Record<string, unknown> = {
    zone: r.zone,
    vel: sig4(r.velocityMmS),
    bands: r.bands.map((b) => [b.loHz, b.hiHz, sig4(b.rms)]),
    peaks: r.peaks.map((p) => [sig4(p.hz), sig4(p.amp)]),
  };
  if (r.bearing) {
    out.env = Object.fromEntries(r.bearing.families.map((f) => [f.kind, f.harmonics.map(sig4)]));
    out.scores = r.bearing.diagnosis.scores;
    out.fault = r.bearing.diagnosis.fault;
    out.band = r.bearing.band;
  }
  return out;
}
