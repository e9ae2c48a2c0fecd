// Sensirion SHT3x-DIS temperature and humidity sensor (datasheet SHT3x-DIS, v6 or later).
import type { ChannelInfo } from "../types.js";
import { DriverError } from "../types.js";
import type { DriverClock } from "./clock.js";
import type { PeriodicDriver } from "./driver.js";
import type { RawI2cPort } from "./port.js";
import { readWords, sendCommand } from "./sensirion.js";
import { quietly } from "./identify.js";

export const SHT3X_ADDRESSES = [0x44, 0x45];

/** Section 4.3, Table 9: single shot, high repeatability, clock stretching disabled. */
export const SHT3X_MEASURE_HIGH = [0x24, 0x00];
/** Section 4.9: soft reset; section 4.11: status register read and clear. */
export const SHT3X_SOFT_RESET = [0x30, 0xa2];
export const SHT3X_READ_STATUS = [0xf3, 0x2d];
export const SHT3X_CLEAR_STATUS = [0x30, 0x41];
/** Table 4: maximum measurement duration at high repeatability, ms. */
export const SHT3X_MEASURE_MS = 15.5;
/** Table 4: soft reset time, ms (max). */
export const SHT3X_RESET_MS = 1.5;

/**
 * Section 4.13: T = -45 + 175 * S / (2^16 - 1), RH = 100 * S / (2^16 - 1). The Linux sht3x driver divides by 2^16
 * instead; the datasheet's 2^16 - 1 is used here so that S = 0xFFFF is exactly 130 degC and 100 %RH.
 */
export const SHT3X_CHANNELS: ChannelInfo[] = [
  { name: "temperature", unit: "degC", scale: 175 / 65535, offset: -45 },
  { name: "humidity", unit: "%RH", scale: 100 / 65535, offset: 0 },
];

export const sht3xTemperature = (s: number): number => -45 + (175 * s) / 65535;
export const sht3xHumidity = (s: number): number => (100 * s) / 65535;

export class Sht3x implements PeriodicDriver {
  readonly chip = "sht3x";
  readonly channels = SHT3X_CHANNELS;

  constructor(
    private readonly bus: RawI2cPort,
    readonly address: number,
    private readonly clock: DriverClock,
  ) {}

  /** Soft reset, then a CRC-checked status read proves a Sensirion SHT3x answers at this address. */
  async init(): Promise<void> {
    await sendCommand(this.bus, this.address, SHT3X_SOFT_RESET);
    await this.clock.sleep(SHT3X_RESET_MS + 0.5);
    await this.status();
    await sendCommand(this.bus, this.address, SHT3X_CLEAR_STATUS);
  }

  async status(): Promise<number> {
    await sendCommand(this.bus, this.address, SHT3X_READ_STATUS);
    const [s] = await readWords(this.bus, this.address, 1, this.clock, 0);
    return s;
  }

  /** Counts: [S_T, S_RH], raw 16-bit words (scale in SHT3X_CHANNELS). */
  async read(): Promise<number[]> {
    await sendCommand(this.bus, this.address, SHT3X_MEASURE_HIGH);
    await this.clock.sleep(SHT3X_MEASURE_MS);
    const words = await readWords(this.bus, this.address, 2, this.clock);
    if (words.length !== 2) throw new DriverError("protocol", "short measurement");
    return words;
  }
}

/** Safe probe: the status read is a read-only command and its CRC identifies a Sensirion chip. */
export function identifySht3x(bus: RawI2cPort, address: number, clock: DriverClock): Promise<boolean> {
  return quietly(async () => {
    await sendCommand(bus, address, SHT3X_READ_STATUS);
    await readWords(bus, address, 1, clock, 0);
    return true;
  });
}
