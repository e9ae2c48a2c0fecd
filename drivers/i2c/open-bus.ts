// Opens /dev/i2c-N through i2c-bus (loaded on demand, so hosts without the native addon still run the emulator).
import { access, constants } from "node:fs/promises";
import type { I2cBus } from "./port.js";

export async function openI2cBus(busNumber: number): Promise<I2cBus> {
  const path = `/dev/i2c-${busNumber}`;
  // i2c-bus opens the device file lazily, per address, on the first transfer: check it now so that a missing bus
  // or a missing permission (not in the i2c group) is reported when the bus is opened.
  await access(path, constants.R_OK | constants.W_OK);
  const mod = (await import("i2c-bus")) as typeof import("i2c-bus") & { default?: typeof import("i2c-bus") };
  const open = mod.openPromisified ?? mod.default?.openPromisified;
  return open(busNumber);
}
