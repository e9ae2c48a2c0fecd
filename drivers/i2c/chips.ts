// The supported chips by config type name: how to identify them, drive them, and emulate them.
import { Adxl345, ADXL345_ADDRESSES, identifyAdxl345 } from "./adxl345.js";
import { Adxl345Sim } from "./adxl345.sim.js";
import { Bme280, BME280_ADDRESSES, identifyBme280 } from "./bme280.js";
import { Bme280Sim } from "./bme280.sim.js";
import type { DriverClock } from "./clock.js";
import type { AccelDriver, AccelOptions, PeriodicDriver } from "./driver.js";
import { identifyLis3dh, Lis3dh, LIS3DH_ADDRESSES } from "./lis3dh.js";
import { Lis3dhSim } from "./lis3dh.sim.js";
import { identifyMcp9808, Mcp9808, MCP9808_ADDRESSES } from "./mcp9808.js";
import { Mcp9808Sim } from "./mcp9808.sim.js";
import { identifyMpu6050, Mpu6050, MPU6050_ADDRESSES } from "./mpu6050.js";
import { Mpu6050Sim } from "./mpu6050.sim.js";
import type { I2cBus } from "./port.js";
import { identifySht3x, Sht3x, SHT3X_ADDRESSES } from "./sht3x.js";
import { Sht3xSim } from "./sht3x.sim.js";
import { identifySht4x, Sht4x, SHT4X_ADDRESSES } from "./sht4x.js";
import { Sht4xSim } from "./sht4x.sim.js";
import type { SimDevice } from "./sim-device.js";
import { identifyTmp102, Tmp102, TMP102_ADDRESSES } from "./tmp102.js";
import { Tmp102Sim } from "./tmp102.sim.js";

export const PERIODIC_CHIPS = ["sht3x", "sht4x", "tmp102", "mcp9808", "bme280"] as const;
export const ACCEL_CHIPS = ["adxl345", "lis3dh", "mpu6050"] as const;
export type PeriodicChip = (typeof PERIODIC_CHIPS)[number];
export type AccelChip = (typeof ACCEL_CHIPS)[number];
export type ChipType = PeriodicChip | AccelChip;

export interface ChipSpec {
  type: ChipType;
  kind: "periodic" | "accel";
  addresses: number[];
  /** Read-only identification; false on any error. */
  identify(bus: I2cBus, address: number, clock: DriverClock): Promise<boolean>;
  emulator(address: number, clock: () => number): SimDevice;
}

/** In probe order: chips with an ID register first, the TMP102 (plausibility check only) last. */
export const CHIP_SPECS: ChipSpec[] = [
  { type: "bme280", kind: "periodic", addresses: BME280_ADDRESSES, identify: identifyBme280, emulator: (a, c) => new Bme280Sim(a, c) },
  { type: "adxl345", kind: "accel", addresses: ADXL345_ADDRESSES, identify: identifyAdxl345, emulator: (a, c) => new Adxl345Sim(a, c) },
  { type: "mpu6050", kind: "accel", addresses: MPU6050_ADDRESSES, identify: identifyMpu6050, emulator: (a, c) => new Mpu6050Sim(a, c) },
  { type: "mcp9808", kind: "periodic", addresses: MCP9808_ADDRESSES, identify: identifyMcp9808, emulator: (a, c) => new Mcp9808Sim(a, c) },
  { type: "lis3dh", kind: "accel", addresses: LIS3DH_ADDRESSES, identify: identifyLis3dh, emulator: (a, c) => new Lis3dhSim(a, c) },
  { type: "sht3x", kind: "periodic", addresses: SHT3X_ADDRESSES, identify: identifySht3x, emulator: (a, c) => new Sht3xSim(a, c) },
  { type: "sht4x", kind: "periodic", addresses: SHT4X_ADDRESSES, identify: identifySht4x, emulator: (a, c) => new Sht4xSim(a, c) },
  { type: "tmp102", kind: "periodic", addresses: TMP102_ADDRESSES, identify: (b, a) => identifyTmp102(b, a), emulator: (a, c) => new Tmp102Sim(a, c) },
];

export function chipSpec(type: ChipType): ChipSpec {
  const spec = CHIP_SPECS.find((s) => s.type === type);
  if (!spec) throw new Error(`unknown I2C chip "${type}"`);
  return spec;
}

export function isAccelChip(type: string): type is AccelChip {
  return (ACCEL_CHIPS as readonly string[]).includes(type);
}

export function isPeriodicChip(type: string): type is PeriodicChip {
  return (PERIODIC_CHIPS as readonly string[]).includes(type);
}

export function createPeriodicDriver(
  type: PeriodicChip,
  bus: I2cBus,
  address: number,
  clock: DriverClock,
  opts: { extendedMode?: boolean } = {},
): PeriodicDriver {
  switch (type) {
    case "sht3x": return new Sht3x(bus, address, clock);
    case "sht4x": return new Sht4x(bus, address, clock);
    case "tmp102": return new Tmp102(bus, address, clock, opts.extendedMode ?? false);
    case "mcp9808": return new Mcp9808(bus, address, clock);
    case "bme280": return new Bme280(bus, address, clock);
  }
}

export function createAccelDriver(type: AccelChip, bus: I2cBus, address: number, clock: DriverClock, opts: AccelOptions): AccelDriver {
  switch (type) {
    case "adxl345": return new Adxl345(bus, address, clock, opts);
    case "lis3dh": return new Lis3dh(bus, address, clock, opts);
    case "mpu6050": return new Mpu6050(bus, address, clock, opts);
  }
}
