// Microchip MCP9808 digital temperature sensor (datasheet DS20005095).
import type { ChannelInfo } from "../types.js";
import { DriverError } from "../types.js";
import type { DriverClock } from "./clock.js";
import type { PeriodicDriver } from "./driver.js";
import { onBus } from "./errors.js";
import type { SmbusPort } from "./port.js";
import { quietly } from "./identify.js";

export const MCP9808_ADDRESSES = [0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f];

/** Section 5.1, Table 5-1: register pointers. */
export const MCP9808_AMBIENT = 0x05;
export const MCP9808_MANUFACTURER = 0x06;
export const MCP9808_DEVICE = 0x07;
export const MCP9808_RESOLUTION = 0x08;
export const MCP9808_MANUFACTURER_ID = 0x0054;
export const MCP9808_DEVICE_ID = 0x04;

export const MCP9808_CHANNELS: ChannelInfo[] = [{ name: "temperature", unit: "degC", scale: 0.0625, offset: 0 }];

/**
 * Section 5.1.3, Register 5-4: bits 15..13 are alert flags (mask them), bit 12 is the sign, bits 11..0 the value
 * in 1/16 degC: a 13-bit two's complement number. The datasheet's sample code computes negative temperatures as
 * 256 - value, which is wrong (it should be value - 256); the sign extension below gets both signs right.
 */
export function mcp9808Counts(reg: number): number {
  const v = reg & 0x1fff;
  return v & 0x1000 ? v - 0x2000 : v;
}

const swap = (w: number): number => ((w & 0xff) << 8) | ((w >> 8) & 0xff);

export class Mcp9808 implements PeriodicDriver {
  readonly chip = "mcp9808";
  readonly channels = MCP9808_CHANNELS;

  constructor(
    private readonly bus: SmbusPort,
    readonly address: number,
    private readonly clock: DriverClock,
  ) {}

  async init(): Promise<void> {
    const m = swap(await onBus("read manufacturer ID", () => this.bus.readWord(this.address, MCP9808_MANUFACTURER)));
    const d = swap(await onBus("read device ID", () => this.bus.readWord(this.address, MCP9808_DEVICE)));
    if (m !== MCP9808_MANUFACTURER_ID || d >> 8 !== MCP9808_DEVICE_ID) {
      throw new DriverError("id-mismatch", `IDs 0x${m.toString(16)}/0x${d.toString(16)} are not an MCP9808's`, false);
    }
    // Section 5.1.6: 0.0625 degC resolution (power-on default, written in case a previous user changed it).
    await onBus("write resolution", () => this.bus.writeByte(this.address, MCP9808_RESOLUTION, 0x03));
    // Table 1-1: a conversion at 0.0625 degC takes 250 ms (typ); the first one starts now.
    await this.clock.sleep(250);
  }

  async read(): Promise<number[]> {
    const reg = swap(await onBus("read ambient", () => this.bus.readWord(this.address, MCP9808_AMBIENT)));
    return [mcp9808Counts(reg)];
  }
}

export function identifyMcp9808(bus: SmbusPort, address: number): Promise<boolean> {
  return quietly(async () => {
    const m = swap(await bus.readWord(address, MCP9808_MANUFACTURER));
    const d = swap(await bus.readWord(address, MCP9808_DEVICE));
    return m === MCP9808_MANUFACTURER_ID && d >> 8 === MCP9808_DEVICE_ID;
  });
}
