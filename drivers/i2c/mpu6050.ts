// InvenSense MPU-6050 accelerometer part (Register Map RM-MPU-6000A rev 4.2; Product Specification PS-MPU-6000A).
import { DriverError, type SampleBlock } from "../types.js";
import { BlockTimeline } from "./block-timing.js";
import type { DriverClock } from "./clock.js";
import { axisChannels, signed16, type AccelDriver, type AccelOptions, type AccelStats, type Axis } from "./driver.js";
import { onBus, readBlockExact } from "./errors.js";
import type { SmbusPort } from "./port.js";
import { idRegisterIs } from "./identify.js";

export const MPU6050_ADDRESSES = [0x68, 0x69];

/** Register map, section 3. */
export const REG = {
  smplrtDiv: 0x19,
  config: 0x1a,
  accelConfig: 0x1c,
  fifoEn: 0x23,
  intStatus: 0x3a,
  userCtrl: 0x6a,
  pwrMgmt1: 0x6b,
  fifoCountH: 0x72,
  fifoRW: 0x74,
  whoAmI: 0x75,
} as const;
export const MPU6050_WHO_AM_I = 0x68;
/** Register 26: with the DLPF on (DLPF_CFG 1..6) the base rate is 1 kHz; the accelerometer never outputs faster. */
const BASE_RATE_HZ = 1000;
/** Register 28: AFS_SEL -> LSB per g (section 6.2 of the product specification: 16384, 8192, 4096, 2048). */
const AFS: Record<number, number> = { 2: 0, 4: 1, 8: 2, 16: 3 };
const FIFO_BYTES = 1024;
const FIFO_OFLOW = 0x10;
const USER_FIFO_EN = 0x40;
const USER_FIFO_RESET = 0x04;
const SAMPLES_PER_BURST = 5;

export class Mpu6050 implements AccelDriver {
  readonly chip = "mpu6050";
  readonly channels;
  readonly rateHz: number;
  readonly fifoSamples = Math.floor(FIFO_BYTES / 6);
  private readonly div: number;
  private readonly axes: Axis[];
  private readonly timeline: BlockTimeline;
  private readonly buf = Buffer.alloc(SAMPLES_PER_BURST * 6);
  private pendingOverflow = false;

  constructor(
    private readonly bus: SmbusPort,
    readonly address: number,
    private readonly clock: DriverClock,
    private readonly opts: AccelOptions,
  ) {
    // Register 25: sample rate = base rate / (1 + SMPLRT_DIV).
    this.div = Math.min(255, Math.max(0, Math.round(BASE_RATE_HZ / opts.rateHz) - 1));
    this.rateHz = BASE_RATE_HZ / (1 + this.div);
    this.axes = opts.axes ?? ["x", "y", "z"];
    this.channels = axisChannels(this.axes, 1 / (16384 >> AFS[opts.rangeG]));
    this.timeline = new BlockTimeline(this.rateHz);
  }

  async init(): Promise<void> {
    const a = this.address;
    const id = await onBus("read WHO_AM_I", () => this.bus.readByte(a, REG.whoAmI));
    if ((id & 0x7e) !== MPU6050_WHO_AM_I) throw new DriverError("id-mismatch", `WHO_AM_I 0x${id.toString(16)} is not an MPU-6050's (0x68)`, false);
    await onBus("device reset", () => this.bus.writeByte(a, REG.pwrMgmt1, 0x80));
    await this.clock.sleep(100);
    // The chip powers up asleep (PWR_MGMT_1 = 0x40); wake it on the X gyro PLL, the recommended clock source.
    await onBus("wake", () => this.bus.writeByte(a, REG.pwrMgmt1, 0x01));
    await onBus("write CONFIG", () => this.bus.writeByte(a, REG.config, 0x01));
    await onBus("write SMPLRT_DIV", () => this.bus.writeByte(a, REG.smplrtDiv, this.div));
    await onBus("write ACCEL_CONFIG", () => this.bus.writeByte(a, REG.accelConfig, AFS[this.opts.rangeG] << 3));
    await onBus("write FIFO_EN", () => this.bus.writeByte(a, REG.fifoEn, 0x08)); // ACCEL_FIFO_EN
    await this.resetFifo();
    await onBus("read INT_STATUS", () => this.bus.readByte(a, REG.intStatus)); // clears a stale overflow flag
    this.timeline.reset(this.clock.now());
  }

  private async resetFifo(): Promise<void> {
    await onBus("reset FIFO", () => this.bus.writeByte(this.address, REG.userCtrl, USER_FIFO_EN | USER_FIFO_RESET));
  }

  async readBlock(): Promise<SampleBlock | null> {
    const a = this.address;
    const status = await onBus("read INT_STATUS", () => this.bus.readByte(a, REG.intStatus));
    if (status & FIFO_OFLOW) {
      // 1024 bytes is not a whole number of 6-byte samples: after an overflow the frame alignment is lost, so
      // the FIFO is reset and the loss is carried by the next block.
      await this.resetFifo();
      this.pendingOverflow = true;
      return null;
    }
    const cnt = Buffer.alloc(2);
    await readBlockExact(this.bus, a, REG.fifoCountH, 2, cnt, "read FIFO_COUNT");
    const tRead = this.clock.now();
    const n = Math.floor(((cnt[0] << 8) | cnt[1]) / 6);
    if (n === 0) return null;
    const counts = this.axes.map(() => new Int32Array(n));
    const axisIndex = this.axes.map((ax) => ({ x: 0, y: 1, z: 2 })[ax]);
    // FIFO_R_W does not auto-increment: a burst read from it returns consecutive FIFO bytes.
    for (let i = 0; i < n; i += SAMPLES_PER_BURST) {
      const k = Math.min(SAMPLES_PER_BURST, n - i);
      await readBlockExact(this.bus, a, REG.fifoRW, k * 6, this.buf, "read FIFO_R_W");
      for (let s = 0; s < k; s++) {
        for (let c = 0; c < axisIndex.length; c++) {
          const j = s * 6 + axisIndex[c] * 2;
          counts[c][i + s] = signed16((this.buf[j] << 8) | this.buf[j + 1]); // big-endian
        }
      }
    }
    const overflow = this.pendingOverflow;
    this.pendingOverflow = false;
    return this.timeline.block(counts, tRead, overflow);
  }

  stats(): AccelStats {
    return this.timeline.stats(this.clock.now());
  }
}

export function identifyMpu6050(bus: SmbusPort, address: number): Promise<boolean> {
  return idRegisterIs(bus, address, REG.whoAmI, MPU6050_WHO_AM_I, 0x7e);
}
