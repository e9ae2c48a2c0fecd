// Vibration condition monitoring and cold-chain alarms. Owned by the analytics work (issue 7).
import { z } from "zod";

const severity = z.enum(["info", "warning", "critical"]);
const hzBand = z
  .tuple([z.number().min(0), z.number().positive()])
  .refine(([lo, hi]) => hi > lo, { error: "expected [low, high] with high > low (Hz)" });

export const temperatureAlarmProcessor = z.strictObject({
  type: z.literal("temperature-alarm"),
  /** Channel the limits apply to (default: the stream's first channel). */
  channel: z.string().optional(),
  /** Limits in the channel's physical unit (degC). */
  high: z.number().optional(),
  low: z.number().optional(),
  /** A limit must be exceeded this long before the alarm is raised. */
  delayS: z.number().min(0).default(300),
  /** The alarm clears once the value is back inside the limit by this much. */
  hysteresis: z.number().min(0).default(0.5),
  /** Suppression after a door of the same group closes (seconds). */
  doorGraceS: z.number().min(0).default(600),
  severity: severity.default("critical"),
});

export const sensorFaultProcessor = z.strictObject({
  type: z.literal("sensor-fault"),
  /** Channel checked for stuck and range faults (default: the stream's first channel). */
  channel: z.string().optional(),
  /** Raise "stuck" when the value has not changed for this long (0 = off). */
  stuckS: z.number().min(0).default(3600),
  /** The sensor's measuring range in the channel's physical unit; a value outside is a fault, not a reading. */
  min: z.number().optional(),
  max: z.number().optional(),
  /** Raise "crc" after this many CRC faults within `crcWindowS`. */
  crcErrors: z.number().int().positive().default(5),
  crcWindowS: z.number().positive().default(600),
  /** Raise "offline" when no sample arrived for this long (0 = only on the source's offline status). */
  silenceS: z.number().min(0).default(0),
  severity: severity.default("warning"),
});

export const bearingGeometry = z.strictObject({
  balls: z.number().int().positive(),
  /** Ball and pitch diameters, same unit (any). */
  ballDiameter: z.number().positive(),
  pitchDiameter: z.number().positive(),
  contactAngleDeg: z.number().min(0).max(90).default(0),
});

export const vibrationProcessor = z.strictObject({
  type: z.literal("vibration"),
  windowS: z.number().positive().default(1),
  overlap: z.number().min(0).max(0.9).default(0),
  /** Channel names analysed (default: all channels of the stream). */
  axes: z.array(z.string()).optional(),
  /** ISO 10816-3 machine group (1: large, 2: medium) and foundation. */
  machineGroup: z.union([z.literal(1), z.literal(2)]).default(2),
  foundation: z.enum(["rigid", "flexible"]).default("rigid"),
  /** Velocity band of the ISO zone: 10-1000 Hz above 600 rpm, 2-1000 Hz for slower machines. */
  velocityBandHz: hzBand.default([10, 1000]),
  /** Bands whose RMS acceleration is reported. */
  bandsHz: z.array(hzBand).default([
    [10, 1000],
    [1000, 5000],
    [5000, 20000],
  ]),
  topPeaks: z.number().int().min(0).max(10).default(3),
  /**
   * Shaft speed: fixed here, or the first value of the samples of another stream (a Modbus register or a
   * tachometer counting rpm); the runtime routes that stream's records to this processor too.
   */
  shaftRpm: z.number().positive().optional(),
  rpmFrom: z.strictObject({ stream: z.string().min(1) }).optional(),
  bearing: bearingGeometry.optional(),
  /** Demodulation band for the envelope spectrum; default: chosen per window (most impulsive band). */
  envelopeBandHz: hzBand.optional(),
  harmonics: z.number().int().min(1).max(6).default(3),
  /** Zone at which a vibration alarm is raised (C: warning, D: critical). */
  alarmZone: z.enum(["C", "D"]).default("C"),
  /** Send a raw waveform snapshot at least this often (hours; 0 = only on change and on request). */
  snapshotEveryH: z.number().min(0).default(24),
  /** Automatic snapshots (zone change, new diagnosis) at most this often, so a machine on a zone boundary does not flood. */
  snapshotMinIntervalS: z.number().min(0).default(300),
});

export const analyticsProcessors = [temperatureAlarmProcessor, sensorFaultProcessor, vibrationProcessor] as const;

export type TemperatureAlarmConfig = z.output<typeof temperatureAlarmProcessor>;
export type SensorFaultConfig = z.output<typeof sensorFaultProcessor>;
export type VibrationConfig = z.output<typeof vibrationProcessor>;
export type BearingGeometryConfig = z.output<typeof bearingGeometry>;
