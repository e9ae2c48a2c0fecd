// Maps what a bus throws (errno codes from i2c-dev, or anything else) to the driver fault kinds the runtime counts.
import { DriverError } from "../types.js";

export function toDriverError(e: unknown, what: string): DriverError {
  if (e instanceof DriverError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const msg = `${what}: ${(e as Error)?.message ?? String(e)}`;
  switch (code) {
    case "EREMOTEIO": // the device did not acknowledge (absent, busy converting, or rejecting the command)
    case "ENXIO":
    case "ENODEV": // no such address on the adapter (the kernel's i2c-stub, some bridge adapters)
      return new DriverError("nack", msg, true, { cause: e });
    case "ETIMEDOUT": // a slave holding SCL low, or a controller timeout
      return new DriverError("timeout", msg, true, { cause: e });
    default:
      return new DriverError("bus", msg, true, { cause: e });
  }
}

/** Runs one bus exchange and converts whatever it throws into a DriverError. */
export async function onBus<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toDriverError(e, what);
  }
}

/** An I2C block read that must return every byte asked for; a short read is a protocol fault, never partial data. */
export async function readBlockExact(
  bus: { readI2cBlock(addr: number, cmd: number, length: number, buffer: Buffer): Promise<{ bytesRead: number }> },
  addr: number,
  cmd: number,
  length: number,
  buffer: Buffer,
  what: string,
): Promise<Buffer> {
  const r = await onBus(what, () => bus.readI2cBlock(addr, cmd, length, buffer));
  if (r.bytesRead !== length) throw new DriverError("protocol", `${what}: ${r.bytesRead} of ${length} bytes`);
  return buffer;
}
