// i2c-bus ships no type declarations; only the entry point used here is declared.
declare module "i2c-bus" {
  import type { I2cBus } from "./port.js";
  export function openPromisified(busNumber: number, options?: { forceAccess?: boolean }): Promise<I2cBus>;
}
