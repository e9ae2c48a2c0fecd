// Vibration condition monitoring and cold-chain alarms. Owned by the analytics work (issue 7).
import { z } from "zod";

const severity = z.enum(["info", "warning", "critical"]);
const hzBand = z
  .tuple([z.number().min(0), z.number().positive()])
  .refine(([lo, hi]) => hi > lo, { error: "expected [low, high] with high > low (Hz)" });

export const temperatureAlarmProcessor = z.strictObject({
  type: z.literal("temperature-alarm"),
  channel: z.string().optional().describe("channel the limits apply to (default: the stream's first channel)"),
  high: z.number().optional().describe("upper limit in the channel's unit (degC)"),
  low: z.number().optional().describe("lower limit in the channel's unit (degC)"),
  delayS: z.number().min(0).default(300).describe("a limit must be exceeded this long before the alarm is raised"),
  hysteresis: z.number().min(0).default(0.5).describe("the alarm clears once the value is back inside the limit by this much"),
  doorGraceS: z.number().min(0).default(600).describe("no alarm while a door of the stream's group is open and for this long after it closes"),
  severity: severity.default("critical"),
});

export const sensorFaultProcessor = z.strictObject({
  type: z.literal("sensor-fault"),
  channel: z.string().optional().describe("channel checked for stuck and range faults (default: the stream's first channel)"),
  stuckS: z.number().min(0).default(3600).describe("raise sensor.stuck when the value has not changed for this long (0: off)"),
  min: z.number().optional().describe("lower end of the sensor's measuring range, in the channel's unit; below is a fault, not a reading"),
  max: z.number().optional().describe("upper end of the sensor's measuring range, in the channel's unit"),
  crcErrors: z.number().int().positive().default(5).describe("raise sensor.crc after this many CRC faults within crcWindowS"),
  crcWindowS: z.number().positive().default(600),
  silenceS: z.number().min(0).default(0).describe("raise sensor.offline when no sample arrived for this long (0: only on the source's offline status)"),
  severity: severity.default("warning"),
});

export const bearingGeometry = z.strictObject({
  balls: z.number().int().positive(),
  ballDiameter: z.number().positive().describe("same unit as pitchDiameter (any)"),
  pitchDiameter: z.number().positive(),
  contactAngleDeg: z.number().min(0).max(90).default(0),
});

export const vibrationProcessor = z.strictObject({
  type: z.literal("vibration"),
  windowS: z.number().positive().default(1).describe("analysis window; one features sample (<stream>/features) per window"),
  overlap: z.number().min(0).max(0.9).default(0).describe("fraction of a window shared with the next"),
  axes: z.array(z.string()).optional().describe("channel names analysed (default: all channels of the stream)"),
  machineGroup: z.union([z.literal(1), z.literal(2)]).default(2).describe("ISO 10816-3 group: 1 large (300 kW-50 MW), 2 medium (15-300 kW)"),
  foundation: z.enum(["rigid", "flexible"]).default("rigid"),
  velocityBandHz: hzBand.default([10, 1000]).describe("[low, high] Hz of the velocity RMS: 10-1000 above 600 rpm, 2-1000 for slower machines"),
  bandsHz: z
    .array(hzBand)
    .default([
      [10, 1000],
      [1000, 5000],
      [5000, 20000],
    ])
    .describe("[low, high] Hz bands whose RMS acceleration is reported (in the diagnosis events)"),
  topPeaks: z.number().int().min(0).max(10).default(3).describe("largest spectral peaks reported per axis (in the diagnosis events)"),
  shaftRpm: z.number().positive().optional().describe("shaft speed; needed with bearing for the diagnosis"),
  rpmFrom: z
    .strictObject({ stream: z.string().min(1) })
    .optional()
    .describe("take the shaft speed from the first value of this stream's samples (a Modbus register or tachometer in rpm)"),
  bearing: bearingGeometry.optional().describe("rolling-element bearing geometry; enables the envelope diagnosis"),
  envelopeBandHz: hzBand.optional().describe("[low, high] Hz demodulation band; default: the most impulsive band, searched every 60 windows"),
  harmonics: z.number().int().min(1).max(6).default(3).describe("harmonics of each defect frequency examined"),
  alarmZone: z.enum(["C", "D"]).default("C").describe("ISO zone that raises a vibration alarm (C: warning, D: critical)"),
  snapshotEveryH: z.number().min(0).default(24).describe("send a raw waveform snapshot at least this often (hours; 0: only on change and on request)"),
  snapshotMinIntervalS: z
    .number()
    .min(0)
    .default(300)
    .describe("automatic snapshots (zone change, new diagnosis) and diagnosis events on a change at most this often, so a machine on a zone boundary does not flood"),
});

export const analyticsProcessors = [temperatureAlarmProcessor, sensorFaultProcessor, vibrationProcessor] as const;

export type TemperatureAlarmConfig = z.output<typeof temperatureAlarmProcessor>;
export type SensorFaultConfig = z.output<typeof sensorFaultProcessor>;
export type VibrationConfig = z.output<typeof vibrationProcessor>;
export type BearingGeometryConfig = z.output<typeof bearingGeometry>;
