// Door contacts on GPIO. Owned by the GPIO/Modbus work (issue 4).
import { z } from "zod";
import { durationMs } from "./common.js";

/** A line named by Raspberry Pi BCM number, by header pin, or by chip (label or index) plus offset. */
export const gpioLineRef = z.union([
  z.strictObject({ bcm: z.number().int().min(0).max(57) }),
  z.strictObject({ pin: z.number().int().min(1).max(40) }),
  z.strictObject({ chip: z.union([z.string().min(1), z.number().int().min(0)]), offset: z.number().int().min(0) }),
]);

export const gpiodToolPaths = z.strictObject({
  gpiomon: z.string().min(1).default("gpiomon"),
  gpioget: z.string().min(1).default("gpioget"),
  gpiodetect: z.string().min(1).default("gpiodetect"),
});

export const gpioDoorSensor = z.strictObject({
  type: z.literal("gpio-door"),
  line: gpioLineRef,
  activeLow: z.boolean().default(true),
  /** Level that means "open" after activeLow is applied: reed switches are usually closed (1) when the door is shut. */
  openLevel: z.union([z.literal(0), z.literal(1)]).default(0),
  /** After a reported edge, further edges are bounce until the line has been quiet this long. */
  lockoutMs: durationMs.default(50),
  /** auto: sysfs (onoff) when /sys/class/gpio works, else the character device (libgpiod tools). */
  backend: z.enum(["auto", "sysfs", "chardev", "simulated"]).default("auto"),
  /** Where the sysfs GPIO tree is (tests and unusual systems). */
  sysfsRoot: z.string().min(1).default("/sys/class/gpio"),
  /** Paths of the libgpiod tools used by the character-device backend. */
  gpiodTools: gpiodToolPaths.default(gpiodToolPaths.parse({})),
});
