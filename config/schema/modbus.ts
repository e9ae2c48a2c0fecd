// Modbus RTU devices on a serial bus. Owned by the GPIO/Modbus work (issue 4).
import { z } from "zod";
import { positiveInt } from "./common.js";
import { DEVICE_PROFILES } from "../../drivers/serial/profiles.js";

export const serialBusConfig = z.strictObject({
  name: z.string().min(1),
  /** /dev/ttyUSB0, /dev/serial/by-id/...; any name when simulated. */
  path: z.string().min(1),
  baudRate: positiveInt.default(9600),
  parity: z.enum(["none", "even", "odd"]).default("none"),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  /** Reply timeout per request; a Modbus request always has one. */
  timeoutMs: positiveInt.default(500),
  /** Use @serialport/binding-mock with the built-in slave emulator (demo, laptops). */
  simulate: z.boolean().default(false),
});

export const modbusRegister = z.strictObject({
  name: z.string().min(1),
  table: z.enum(["holding", "input"]).default("holding"),
  address: z.number().int().min(0).max(0xffff),
  type: z.enum(["u16", "s16", "u32", "s32"]).default("u16"),
  /** 32-bit values: "big" = high word at the lower address. */
  wordOrder: z.enum(["big", "little"]).default("big"),
  scale: z.number().default(1),
  offset: z.number().default(0),
  unit: z.string().default(""),
});

const profileNames = Object.keys(DEVICE_PROFILES) as [string, ...string[]];

export const modbusSensor = z
  .strictObject({
    type: z.literal("modbus"),
    /** Name of a serial bus declared under buses.serial. */
    bus: z.string().min(1),
    slaveId: z.number().int().min(1).max(247),
    intervalMs: positiveInt.default(1000),
    /** A built-in device profile; its registers are used when `registers` is not given. */
    profile: z.enum(profileNames, { error: `expected one of the built-in profiles: ${profileNames.join(", ")}` }).optional(),
    registers: z.array(modbusRegister).min(1).optional(),
    /** Further attempts after a failed request (CRC error, timeout, ...), each counted. */
    retries: z.number().int().min(0).max(10).default(2),
  })
  .refine((s) => s.profile !== undefined || s.registers !== undefined, { error: "expected a `profile` or a `registers` map" });
