import { randomUUID } from "node:crypto";
import { openSerial } from "../../drivers/serial/port.js";
import { ModbusRtuMaster, type ModbusError } from "../../drivers/serial/rtu-master.js";
import { SimModbusBus } from "../../drivers/serial/slave.sim.js";

export const LINE = { baudRate: 9600, dataBits: 8, parity: "none", stopBits: 1 } as const;

/** A master and the slave emulator on a fresh mock port, with every failed attempt recorded. */
export async function simBus(opts: { retries?: number; timeoutMs?: number } = {}) {
  const port = await openSerial(`/dev/sim-${randomUUID()}`, LINE, true);
  const sim = new SimModbusBus(port.mock!);
  const faults: Array<{ slave: number; err: ModbusError }> = [];
  const master = new ModbusRtuMaster(port.stream, {
    ...LINE,
    timeoutMs: opts.timeoutMs ?? 100,
    retries: opts.retries ?? 2,
    onFault: (err, slave) => faults.push({ slave, err }),
  });
  return { port, sim, master, faults, close: () => port.close() };
}

/** Slave words: address * 10 + id, so replies show which slave and register they came from. */
export const table = (id: number) => (_t: "holding" | "input", a: number) => (a < 50 ? a * 10 + id : undefined);
