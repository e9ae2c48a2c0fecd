// Door semantics. Owned by the GPIO/Modbus work (issue 4).
import { z } from "zod";

export const doorProcessor = z.strictObject({
  type: z.literal("door"),
  /** Raise the door-open-too-long alarm after this many seconds open; it is cleared on close. */
  openTooLongS: z.number().positive().default(300),
  /** Period of the openings-per-hour / total-open-time metric. */
  metricsIntervalS: z.number().positive().default(3600),
});
// The suppression of a room's temperature alarms after the door closes is the temperature-alarm's `doorGraceS`:
// the reader of RoomState decides how long it stays quiet, so there is one knob, not two that could disagree.

export type DoorProcessorConfig = z.infer<typeof doorProcessor>;
