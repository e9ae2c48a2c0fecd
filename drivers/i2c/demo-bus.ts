// The emulated bus `edge-agent probe --simulate` scans: one of every supported chip at a default address.
import { chipSpec, type ChipType } from "./chips.js";
import { SimI2cBus } from "./sim-bus.js";

export const DEMO_CHIPS: ReadonlyArray<readonly [ChipType, number]> = [
  ["mcp9808", 0x18],
  ["lis3dh", 0x19],
  ["sht3x", 0x44],
  ["sht4x", 0x45],
  ["tmp102", 0x48],
  ["adxl345", 0x53],
  ["mpu6050", 0x68],
  ["bme280", 0x76],
];

export function createDemoBus(clock: () => number): SimI2cBus {
  const bus = new SimI2cBus();
  for (const [type, address] of DEMO_CHIPS) bus.attach(chipSpec(type).emulator(address, clock));
  return bus;
}
