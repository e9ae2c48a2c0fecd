// Vibration condition monitoring and cold-chain alarms. Owned by the analytics work (issue 7).
import { z } from "zod";

export const temperatureAlarmProcessor = z.strictObject({
  type: z.literal("temperature-alarm"),
  /** Channel the limits apply to (default: the stream's first channel). */
  channel: z.string().optional(),
  high: z.number().optional(),
  low: z.number().optional(),
  /** A limit must be exceeded this long before the alarm is raised. */
  delayS: z.number().min(0).default(300),
  hysteresis: z.number().min(0).default(0.5),
  /** Suppression after a door of the same group closes (seconds). */
  doorGraceS: z.number().min(0).default(600),
});

export const sensorFaultProcessor = z.strictObject({
  type: z.literal("sensor-fault"),
  /** Raise "stuck" when the value has not changed for this long. */
  stuckS: z.number().positive().default(3600),
  min: z.number().optional(),
  max: z.number().optional(),
});

export const bearingGeometry = z.strictObject({
  balls: z.number().int().positive(),
  ballDiameter: z.number().positive(),
  pitchDiameter: z.number().positive(),
  contactAngleDeg: z.number().min(0).max(90).default(0),
});

export const vibrationProcessor = z.strictObject({
  type: z.literal("vibration"),
  windowS: z.number().positive().default(1),
  overlap: z.number().min(0).max(0.9).default(0),
  /** ISO 10816-3 machine group (1: large, 2: medium) and foundation. */
  machineGroup: z.union([z.literal(1), z.literal(2)]).default(2),
  foundation: z.enum(["rigid", "flexible"]).default("rigid"),
  shaftRpm: z.number().positive().optional(),
  bearing: bearingGeometry.optional(),
  /** Send a raw waveform snapshot at least this often (hours; 0 = only on change and on request). */
  snapshotEveryH: z.number().min(0).default(24),
});

export const analyticsProcessors = [temperatureAlarmProcessor, sensorFaultProcessor, vibrationProcessor] as const;
