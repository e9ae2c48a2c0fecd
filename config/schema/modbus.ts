// Modbus RTU devices on a serial bus. Owned by the GPIO/Modbus work (issue 4).
import { z } from "zod";
import { positiveInt } from "./common.js";

export const serialBusConfig = z.strictObject({
  name: z.string().min(1),
  path: z.string().min(1),
  baudRate: positiveInt.default(9600),
  parity: z.enum(["none", "even", "odd"]).default("none"),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  timeoutMs: positiveInt.default(500),
  simulate: z.boolean().default(false),
});

export const modbusRegister = z.strictObject({
  name: z.string().min(1),
  table: z.enum(["holding", "input"]).default("holding"),
  address: z.number().int().min(0).max(0xffff),
  type: z.enum(["u16", "s16", "u32", "s32"]).default("u16"),
  wordOrder: z.enum(["big", "little"]).default("big"),
  scale: z.number().default(1),
  offset: z.number().default(0),
  unit: z.string().default(""),
});

export const modbusSensor = z.strictObject({
  type: z.literal("modbus"),
  /** Name of a serial bus declared under buses.serial. */
  bus: z.string().min(1),
  slaveId: z.number().int().min(1).max(247),
  intervalMs: positiveInt.default(1000),
  /** A built-in device profile; its registers are used when `registers` is not given. */
  profile: z.string().optional(),
  registers: z.array(modbusRegister).optional(),
});
