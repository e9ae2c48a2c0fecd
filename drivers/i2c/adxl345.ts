// Analog Devices ADXL345 3-axis accelerometer (datasheet Rev. G), FIFO in stream mode, full resolution.
import { DriverError, type SampleBlock } from "../types.js";
import { BlockTimeline } from "./block-timing.js";
import type { DriverClock } from "./clock.js";
import { axisChannels, nearestRate, signed16, type AccelDriver, type AccelOptions, type AccelStats, type Axis } from "./driver.js";
import { onBus, readBlockExact } from "./errors.js";
import type { SmbusPort } from "./port.js";
import { idRegisterIs } from "./identify.js";

export const ADXL345_ADDRESSES = [0x53, 0x1d];

/** Table 19: register map. */
export const REG = {
  devid: 0x00,
  bwRate: 0x2c,
  powerCtl: 0x2d,
  intSource: 0x30,
  dataFormat: 0x31,
  dataX0: 0x32,
  fifoCtl: 0x38,
  fifoStatus: 0x39,
} as const;
export const ADXL345_DEVID = 0xe5;

/** Table 7: BW_RATE rate codes (output data rate in Hz -> code). */
export const ADXL345_RATES: ReadonlyArray<readonly [number, number]> = [
  [3200, 0x0f], [1600, 0x0e], [800, 0x0d], [400, 0x0c], [200, 0x0b], [100, 0x0a], [50, 0x09], [25, 0x08], [12.5, 0x07], [6.25, 0x06],
];
/** Table 1: full-resolution scale factor, 3.9 mg/LSB typical (256 LSB/g) at every range. */
export const ADXL345_G_PER_COUNT = 1 / 256;
const RANGE_CODE: Record<number, number> = { 2: 0, 4: 1, 8: 2, 16: 3 };
const FULL_RES = 0x08;
const MEASURE = 0x08;
const FIFO_STREAM = 0x80;
const OVERRUN = 0x01;

export class Adxl345 implements AccelDriver {
  readonly chip = "adxl345";
  readonly channels;
  readonly rateHz: number;
  readonly fifoSamples = 32;
  private readonly rateCode: number;
  private readonly axes: Axis[];
  private timeline: BlockTimeline;
  private readonly buf = Buffer.alloc(6);

  constructor(
    private readonly bus: SmbusPort,
    readonly address: number,
    private readonly clock: DriverClock,
    private readonly opts: AccelOptions,
  ) {
    [this.rateHz, this.rateCode] = nearestRate(ADXL345_RATES, opts.rateHz);
    this.axes = opts.axes ?? ["x", "y", "z"];
    this.channels = axisChannels(this.axes, ADXL345_G_PER_COUNT);
    this.timeline = new BlockTimeline(this.rateHz);
  }

  async init(): Promise<void> {
    const a = this.address;
    const id = await onBus("read DEVID", () => this.bus.readByte(a, REG.devid));
    if (id !== ADXL345_DEVID) throw new DriverError("id-mismatch", `DEVID 0x${id.toString(16)} is not an ADXL345's (0xE5)`, false);
    await onBus("standby", () => this.bus.writeByte(a, REG.powerCtl, 0));
    await onBus("write DATA_FORMAT", () => this.bus.writeByte(a, REG.dataFormat, FULL_RES | RANGE_CODE[this.opts.rangeG]));
    await onBus("write BW_RATE", () => this.bus.writeByte(a, REG.bwRate, this.rateCode));
    // Bypass first empties the FIFO; then stream mode keeps the newest 32 samples (Table 22).
    await onBus("reset FIFO", () => this.bus.writeByte(a, REG.fifoCtl, 0x00));
    await onBus("write FIFO_CTL", () => this.bus.writeByte(a, REG.fifoCtl, FIFO_STREAM | 16));
    await onBus("measure", () => this.bus.writeByte(a, REG.powerCtl, MEASURE));
    this.timeline.reset(this.clock.now());
  }

  async readBlock(): Promise<SampleBlock | null> {
    const a = this.address;
    const source = await onBus("read INT_SOURCE", () => this.bus.readByte(a, REG.intSource));
    const status = await onBus("read FIFO_STATUS", () => this.bus.readByte(a, REG.fifoStatus));
    const tRead = this.clock.now();
    const entries = status & 0x3f;
    if (entries === 0) {
      if (source & OVERRUN) this.timeline.noteGap();
      return null;
    }
    const counts = this.axes.map(() => new Int32Array(entries));
    const axisIndex = this.axes.map((ax) => ({ x: 0, y: 1, z: 2 })[ax]);
    // Each FIFO entry is read as one 6-byte burst from DATAX0 (section "Retrieving Data from FIFO"): a longer burst
    // would run on into FIFO_CTL, not into the next entry.
    for (let i = 0; i < entries; i++) {
      await readBlockExact(this.bus, a, REG.dataX0, 6, this.buf, "read FIFO entry");
      for (let k = 0; k < axisIndex.length; k++) {
        const j = axisIndex[k] * 2;
        counts[k][i] = signed16(this.buf[j] | (this.buf[j + 1] << 8));
      }
    }
    return this.timeline.block(counts, tRead, (source & OVERRUN) !== 0);
  }

  stats(): AccelStats {
    return this.timeline.stats(this.clock.now());
  }
}

export function identifyAdxl345(bus: SmbusPort, address: number): Promise<boolean> {
  return idRegisterIs(bus, address, REG.devid, ADXL345_DEVID);
}
