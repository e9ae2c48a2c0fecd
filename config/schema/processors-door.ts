// Door semantics. Owned by the GPIO/Modbus work (issue 4).
import { z } from "zod";

export const doorProcessor = z.strictObject({
  type: z.literal("door"),
  /** Raise door.open-too-long after this many seconds open. */
  openTooLongS: z.number().positive().default(300),
  /** Temperature alarms of the same group stay suppressed this long after the door closes. */
  graceS: z.number().min(0).default(600),
  /** Period of the openings-per-hour / total-open-time metric. */
  metricsIntervalS: z.number().positive().default(3600),
});
