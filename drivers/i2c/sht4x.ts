// Sensirion SHT4x temperature and humidity sensor (datasheet SHT4x, v6.x).
import type { ChannelInfo } from "../types.js";
import type { DriverClock } from "./clock.js";
import type { PeriodicDriver } from "./driver.js";
import type { RawI2cPort } from "./port.js";
import { readWords, sendCommand } from "./sensirion.js";
import { quietly } from "./identify.js";

export const SHT4X_ADDRESSES = [0x44, 0x45, 0x46];

/** Section 4.5, Table 7: measure T & RH with high precision (repeatability). */
export const SHT4X_MEASURE_HIGH = 0xfd;
export const SHT4X_READ_SERIAL = 0x89;
export const SHT4X_SOFT_RESET = 0x94;
/** Table 4: maximum measurement duration at high precision, ms. */
export const SHT4X_MEASURE_MS = 8.3;
export const SHT4X_RESET_MS = 1;

/**
 * Section 4.6: T = -45 + 175 * S / (2^16 - 1); RH = -6 + 125 * S / (2^16 - 1), which the datasheet says to clamp to
 * 0..100 %RH. A clamp cannot be expressed as scale and offset, so humidity is delivered already converted, in
 * counts of 0.01 %RH (finer than the sensor's 0.01 %RH-per-count resolution loses nothing that matters).
 */
export const SHT4X_CHANNELS: ChannelInfo[] = [
  { name: "temperature", unit: "degC", scale: 175 / 65535, offset: -45 },
  { name: "humidity", unit: "%RH", scale: 0.01, offset: 0 },
];

export const sht4xHumidity = (s: number): number => Math.min(100, Math.max(0, -6 + (125 * s) / 65535));

export class Sht4x implements PeriodicDriver {
  readonly chip = "sht4x";
  readonly channels = SHT4X_CHANNELS;
  serial: number | undefined;

  constructor(
    private readonly bus: RawI2cPort,
    readonly address: number,
    private readonly clock: DriverClock,
  ) {}

  async init(): Promise<void> {
    await sendCommand(this.bus, this.address, [SHT4X_SOFT_RESET]);
    await this.clock.sleep(SHT4X_RESET_MS + 0.5);
    this.serial = await readSerial(this.bus, this.address, this.clock);
  }

  /** Counts: [S_T raw, RH in 0.01 %RH clamped]. */
  async read(): Promise<number[]> {
    await sendCommand(this.bus, this.address, [SHT4X_MEASURE_HIGH]);
    await this.clock.sleep(SHT4X_MEASURE_MS);
    const [st, srh] = await readWords(this.bus, this.address, 2, this.clock);
    return [st, Math.round(sht4xHumidity(srh) * 100)];
  }
}

async function readSerial(bus: RawI2cPort, address: number, clock: DriverClock): Promise<number> {
  await sendCommand(bus, address, [SHT4X_READ_SERIAL]);
  await clock.sleep(1);
  const [hi, lo] = await readWords(bus, address, 2, clock, 1);
  return hi * 65536 + lo;
}

/** Safe probe: the serial number read is read-only and CRC-protected. */
export function identifySht4x(bus: RawI2cPort, address: number, clock: DriverClock): Promise<boolean> {
  return quietly(async () => {
    await readSerial(bus, address, clock);
    return true;
  });
}
