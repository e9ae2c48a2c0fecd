// Opens /dev/i2c-N through i2c-bus (loaded on demand, so hosts without the native addon still run the emulator).
import type { I2cBus } from "./port.js";

export async function openI2cBus(busNumber: number): Promise<I2cBus> {
  const mod = (await import("i2c-bus")) as typeof import("i2c-bus") & { default?: typeof import("i2c-bus") };
  const open = mod.openPromisified ?? mod.default?.openPromisified;
  return open(busNumber);
}
