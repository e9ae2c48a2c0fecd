// Commissioning scan: which known chips answer on a bus, identified by their ID registers or a safe read-only
// probe, and a live reading from each.
import { DriverError } from "../types.js";
import { CHIP_SPECS, createAccelDriver, createPeriodicDriver, isAccelChip, type ChipType } from "./chips.js";
import type { DriverClock } from "./clock.js";
import { SCAN_FIRST, SCAN_LAST, type I2cBus } from "./port.js";

export interface FoundDevice {
  address: number;
  /** null: something acknowledged but no known chip identified itself. */
  chip: ChipType | null;
  reading?: Record<string, number>;
  error?: string;
}

export async function scanBus(bus: I2cBus, clock: DriverClock): Promise<FoundDevice[]> {
  const found = new Map<number, FoundDevice>();
  for (const spec of CHIP_SPECS) {
    for (const address of spec.addresses) {
      if (found.has(address)) continue;
      if (await spec.identify(bus, address, clock)) found.set(address, { address, chip: spec.type });
    }
  }
  // i2cdetect -r style: a receive-byte that is acknowledged shows an unknown device.
  if (bus.receiveByte) {
    for (let address = SCAN_FIRST; address <= SCAN_LAST; address++) {
      if (found.has(address)) continue;
      try {
        await bus.receiveByte(address);
        found.set(address, { address, chip: null });
      } catch {
        /* nothing there */
      }
    }
  }
  return [...found.values()].sort((a, b) => a.address - b.address);
}

/** One reading in physical units: a measurement for periodic chips, the mean of one FIFO drain for accelerometers. */
export async function liveReading(bus: I2cBus, clock: DriverClock, chip: ChipType, address: number): Promise<Record<string, number>> {
  if (isAccelChip(chip)) {
    const d = createAccelDriver(chip, bus, address, clock, { rateHz: 100, rangeG: 2 });
    await d.init();
    await clock.sleep(100);
    const block = await d.readBlock();
    if (!block) throw new DriverError("not-ready", "FIFO stayed empty");
    const out: Record<string, number> = {};
    d.channels.forEach((ch, i) => {
      const c = block.counts[i];
      out[ch.name] = (c.reduce((s, v) => s + v, 0) / c.length) * ch.scale + ch.offset;
    });
    return out;
  }
  const d = createPeriodicDriver(chip, bus, address, clock);
  await d.init();
  const counts = await d.read();
  return Object.fromEntries(d.channels.map((ch, i) => [ch.name, counts[i] * ch.scale + ch.offset]));
}
