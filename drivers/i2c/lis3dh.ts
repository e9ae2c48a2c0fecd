// ST LIS3DH 3-axis accelerometer (datasheet DocID17530), high-resolution mode, FIFO in stream mode.
import { DriverError, type SampleBlock } from "../types.js";
import { BlockTimeline } from "./block-timing.js";
import type { DriverClock } from "./clock.js";
import { axisChannels, nearestRate, signed16, type AccelDriver, type AccelOptions, type AccelStats, type Axis } from "./driver.js";
import { onBus, readBlockExact } from "./errors.js";
import type { SmbusPort } from "./port.js";
import { idRegisterIs } from "./identify.js";

export const LIS3DH_ADDRESSES = [0x18, 0x19];

/** Section 7, Table 17: register map. */
export const REG = {
  whoAmI: 0x0f,
  ctrl1: 0x20,
  ctrl4: 0x23,
  ctrl5: 0x24,
  outXL: 0x28,
  fifoCtrl: 0x2e,
  fifoSrc: 0x2f,
} as const;
export const LIS3DH_WHO_AM_I = 0x33;
/** Section 6.1.1: the MSB of the sub-address enables auto-increment on multi-byte transfers. */
export const AUTO_INCREMENT = 0x80;

/** Table 31: ODR codes in normal / high-resolution mode (1.62 and 5.376 kHz are low-power only). */
export const LIS3DH_RATES: ReadonlyArray<readonly [number, number]> = [
  [1, 1], [10, 2], [25, 3], [50, 4], [100, 5], [200, 6], [400, 7], [1344, 9],
];
/** Table 4: sensitivity in high-resolution mode (12-bit, left-justified), g per digit by full scale. */
export const LIS3DH_G_PER_COUNT: Record<number, number> = { 2: 0.001, 4: 0.002, 8: 0.004, 16: 0.012 };
const FS_CODE: Record<number, number> = { 2: 0, 4: 1, 8: 2, 16: 3 };
/** FIFO samples fetched per I2C block read: 5 x 6 bytes fits the 32-byte SMBus block limit. */
const SAMPLES_PER_BURST = 5;

export class Lis3dh implements AccelDriver {
  readonly chip = "lis3dh";
  readonly channels;
  readonly rateHz: number;
  readonly fifoSamples = 32;
  private readonly odrCode: number;
  private readonly axes: Axis[];
  private readonly timeline: BlockTimeline;
  private readonly buf = Buffer.alloc(SAMPLES_PER_BURST * 6);

  constructor(
    private readonly bus: SmbusPort,
    readonly address: number,
    private readonly clock: DriverClock,
    private readonly opts: AccelOptions,
  ) {
    [this.rateHz, this.odrCode] = nearestRate(LIS3DH_RATES, opts.rateHz);
    this.axes = opts.axes ?? ["x", "y", "z"];
    this.channels = axisChannels(this.axes, LIS3DH_G_PER_COUNT[opts.rangeG]);
    this.timeline = new BlockTimeline(this.rateHz);
  }

  async init(): Promise<void> {
    const a = this.address;
    const id = await onBus("read WHO_AM_I", () => this.bus.readByte(a, REG.whoAmI));
    if (id !== LIS3DH_WHO_AM_I) throw new DriverError("id-mismatch", `WHO_AM_I 0x${id.toString(16)} is not a LIS3DH's (0x33)`, false);
    await onBus("power down", () => this.bus.writeByte(a, REG.ctrl1, 0x07));
    // CTRL_REG4: BDU (bit 7), full scale (bits 5:4), HR (bit 3).
    await onBus("write CTRL_REG4", () => this.bus.writeByte(a, REG.ctrl4, 0x80 | (FS_CODE[this.opts.rangeG] << 4) | 0x08));
    await onBus("enable FIFO", () => this.bus.writeByte(a, REG.ctrl5, 0x40));
    // Bypass mode empties the FIFO; stream mode (FM = 10) then keeps the newest 32 samples.
    await onBus("reset FIFO", () => this.bus.writeByte(a, REG.fifoCtrl, 0x00));
    await onBus("stream mode", () => this.bus.writeByte(a, REG.fifoCtrl, 0x80));
    await onBus("write CTRL_REG1", () => this.bus.writeByte(a, REG.ctrl1, (this.odrCode << 4) | 0x07));
    this.timeline.reset(this.clock.now());
  }

  async readBlock(): Promise<SampleBlock | null> {
    const a = this.address;
    const src = await onBus("read FIFO_SRC_REG", () => this.bus.readByte(a, REG.fifoSrc));
    const tRead = this.clock.now();
    // FIFO_SRC_REG: OVRN_FIFO (bit 6) = the FIFO is full and the oldest samples are being overwritten.
    const overrun = (src & 0x40) !== 0;
    const n = overrun ? 32 : src & 0x1f;
    if (n === 0) return null;
    const counts = this.axes.map(() => new Int32Array(n));
    const axisIndex = this.axes.map((ax) => ({ x: 0, y: 1, z: 2 })[ax]);
    // In FIFO mode the auto-incremented address wraps from OUT_Z_H (0x2D) back to OUT_X_L (0x28), so one burst
    // carries several samples (ST application note AN3308, on reading the LIS3DH FIFO).
    for (let i = 0; i < n; i += SAMPLES_PER_BURST) {
      const k = Math.min(SAMPLES_PER_BURST, n - i);
      await readBlockExact(this.bus, a, REG.outXL | AUTO_INCREMENT, k * 6, this.buf, "read FIFO");
      for (let s = 0; s < k; s++) {
        for (let c = 0; c < axisIndex.length; c++) {
          const j = s * 6 + axisIndex[c] * 2;
          counts[c][i + s] = signed16(this.buf[j] | (this.buf[j + 1] << 8)) >> 4; // 12 bits, left-justified
        }
      }
    }
    return this.timeline.block(counts, tRead, overrun);
  }

  stats(): AccelStats {
    return this.timeline.stats(this.clock.now());
  }
}

export function identifyLis3dh(bus: SmbusPort, address: number): Promise<boolean> {
  return idRegisterIs(bus, address, REG.whoAmI, LIS3DH_WHO_AM_I);
}
