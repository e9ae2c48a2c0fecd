// Texas Instruments TMP102 digital temperature sensor (datasheet SBOS397).
import type { ChannelInfo } from "../types.js";
import { DriverError } from "../types.js";
import type { DriverClock } from "./clock.js";
import type { PeriodicDriver } from "./driver.js";
import { onBus } from "./errors.js";
import type { SmbusPort } from "./port.js";
import { quietly } from "./identify.js";

export const TMP102_ADDRESSES = [0x48, 0x49, 0x4a, 0x4b];

/** Section 7.5.3, Table 6: pointer register values. */
export const TMP102_TEMPERATURE = 0x00;
export const TMP102_CONFIG = 0x01;
/** Section 7.5.4.2, Table 8: EM (extended mode) is bit 4 of the configuration register. */
const EM = 0x0010;

/** Section 7.5.4.1: 12-bit (or 13-bit extended) two's complement, 0.0625 degC per LSB. */
export const TMP102_CHANNELS: ChannelInfo[] = [{ name: "temperature", unit: "degC", scale: 0.0625, offset: 0 }];

/**
 * Decodes the temperature register (MSB first). In extended mode bit 0 is 1 and the value is 13 bits (bits 15..3);
 * otherwise 12 bits (bits 15..4). Section 7.5.4.1, Tables 1-2.
 */
export function tmp102Counts(reg: number): number {
  const extended = (reg & 0x0001) === 1;
  const v = (reg << 16) >> 16; // sign-extend the 16-bit register
  return extended ? v >> 3 : v >> 4;
}

/** SMBus words arrive low byte first; the TMP102 sends its MSB first. */
const swap = (w: number): number => ((w & 0xff) << 8) | ((w >> 8) & 0xff);

export class Tmp102 implements PeriodicDriver {
  readonly chip = "tmp102";
  readonly channels = TMP102_CHANNELS;

  constructor(
    private readonly bus: SmbusPort,
    readonly address: number,
    private readonly clock: DriverClock,
    private readonly extendedMode = false,
  ) {}

  async init(): Promise<void> {
    const cfg = swap(await onBus("read config", () => this.bus.readWord(this.address, TMP102_CONFIG)));
    if (!looksLikeTmp102Config(cfg)) throw new DriverError("id-mismatch", `config 0x${cfg.toString(16)} is not a TMP102's`, false);
    const want = this.extendedMode ? cfg | EM : cfg & ~EM;
    if (want !== cfg) {
      await onBus("write config", () => this.bus.writeWord(this.address, TMP102_CONFIG, swap(want)));
      // Section 7.3.6: the first conversion in the new mode completes within 26 ms (typ) / 35 ms (max).
      await this.clock.sleep(35);
    }
  }

  /** Counts of 0.0625 degC. */
  async read(): Promise<number[]> {
    const reg = swap(await onBus("read temperature", () => this.bus.readWord(this.address, TMP102_TEMPERATURE)));
    const extended = (reg & 1) === 1;
    if (extended !== this.extendedMode) throw new DriverError("protocol", `temperature register 0x${reg.toString(16)} is not in the configured mode`);
    return [tmp102Counts(reg)];
  }
}

/**
 * The TMP102 has no ID register. The converter resolution bits R1:R0 (config bits 14:13) are read-only ones and
 * bits 3:0 always read zero (Table 8): a safe, read-only plausibility check.
 */
export function looksLikeTmp102Config(cfg: number): boolean {
  return (cfg & 0x6000) === 0x6000 && (cfg & 0x000f) === 0;
}

export function identifyTmp102(bus: SmbusPort, address: number): Promise<boolean> {
  return quietly(async () => looksLikeTmp102Config(swap(await bus.readWord(address, TMP102_CONFIG))));
}
