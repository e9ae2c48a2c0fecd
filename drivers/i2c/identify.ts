// Identifying a chip is a question, not an operation: any bus error means "not this chip" (probe scans the bus).
import type { SmbusPort } from "./port.js";

/** Runs a probe; an error (NACK, timeout, CRC) answers false. */
export async function quietly(probe: () => Promise<boolean>): Promise<boolean> {
  try {
    return await probe();
  } catch {
    return false;
  }
}

/** True when the ID register at `reg` holds `expected` (after `mask`). */
export function idRegisterIs(bus: SmbusPort, address: number, reg: number, expected: number, mask = 0xff): Promise<boolean> {
  return quietly(async () => ((await bus.readByte(address, reg)) & mask) === expected);
}
