// I2C sensors: one entry per supported chip. Owned by the I2C drivers work (issue 3).
import { z } from "zod";
import { i2cAddress, positiveInt } from "./common.js";

/** How a failing sensor is handled: retried, then marked offline and re-probed until it answers again. */
const faultHandling = {
  /** Retries of one read, with backoff, before the read counts as failed. */
  retries: z.number().int().min(0).max(10).default(2),
  /** Consecutive failed reads after which the sensor is reported offline. */
  offlineAfter: positiveInt.default(3),
  /** How often an offline sensor is probed again. */
  reprobeMs: positiveInt.default(30_000),
};

const base = {
  /** Name of an I2C bus declared under buses.i2c. */
  bus: z.string().min(1),
  intervalMs: positiveInt.default(1000),
  ...faultHandling,
};

export const sht3xSensor = z.strictObject({ type: z.literal("sht3x"), address: i2cAddress.default(0x44), ...base });
export const sht4xSensor = z.strictObject({ type: z.literal("sht4x"), address: i2cAddress.default(0x44), ...base });
export const tmp102Sensor = z.strictObject({
  type: z.literal("tmp102"),
  address: i2cAddress.default(0x48),
  extendedMode: z.boolean().default(false),
  ...base,
});
export const mcp9808Sensor = z.strictObject({ type: z.literal("mcp9808"), address: i2cAddress.default(0x18), ...base });
export const bme280Sensor = z.strictObject({ type: z.literal("bme280"), address: i2cAddress.default(0x76), ...base });

const accelBase = {
  bus: z.string().min(1),
  rateHz: z.number().positive().default(800),
  rangeG: z.union([z.literal(2), z.literal(4), z.literal(8), z.literal(16)]).default(16),
  /** How often the FIFO is drained; the source drains at least twice per FIFO fill whatever this says. */
  pollMs: positiveInt.default(50),
  axes: z.array(z.enum(["x", "y", "z"])).min(1).default(["x", "y", "z"]),
  ...faultHandling,
};

export const adxl345Sensor = z.strictObject({ type: z.literal("adxl345"), address: i2cAddress.default(0x53), ...accelBase });
export const lis3dhSensor = z.strictObject({ type: z.literal("lis3dh"), address: i2cAddress.default(0x18), ...accelBase });
export const mpu6050Sensor = z.strictObject({ type: z.literal("mpu6050"), address: i2cAddress.default(0x68), ...accelBase });

export const i2cSensors = [
  sht3xSensor,
  sht4xSensor,
  tmp102Sensor,
  mcp9808Sensor,
  bme280Sensor,
  adxl345Sensor,
  lis3dhSensor,
  mpu6050Sensor,
] as const;

export const i2cBusConfig = z.strictObject({
  name: z.string().min(1),
  /** /dev/i2c-N */
  bus: z.number().int().min(0).default(1),
  /** Use the emulated bus with emulated chips instead of /dev/i2c-N (demo, laptops). */
  simulate: z.boolean().default(false),
});
