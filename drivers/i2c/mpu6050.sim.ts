// Emulator of the MPU-6050 accelerometer part: sleep at power-on, reset, sample rate divider, accelerometer full
// scale, a 1024-byte FIFO that overwrites its oldest bytes on overflow (losing frame alignment, as the chip does),
// FIFO_COUNT and FIFO_R_W.
import type { VibrationSignal } from "./signals.js";
import { RegisterSimDevice } from "./sim-device.js";
import { defaultVibration, SampleClock, toCounts, type VibrationSource } from "./sample-clock.sim.js";

const CAPACITY = 1024;

export class Mpu6050Sim extends RegisterSimDevice implements VibrationSource {
  readonly chip = "mpu6050";
  private signal: VibrationSignal = defaultVibration();
  private readonly sampler = new SampleClock();
  private fifo: number[] = [];
  private overflow = false;
  private whoAmI = 0x68;

  constructor(address: number, clock: () => number) {
    super(address, clock);
    this.reset();
  }

  setSignal(signal: VibrationSignal): void {
    this.signal = signal;
  }

  setChipId(id: number): void {
    this.whoAmI = id;
  }

  private reset(): void {
    this.regs.fill(0);
    this.regs[0x6b] = 0x40; // SLEEP
    this.fifo = [];
    this.overflow = false;
    this.sampler.stop();
  }

  private restartSampling(): void {
    const asleep = (this.regs[0x6b] & 0x40) !== 0;
    if (asleep) return this.sampler.stop();
    const dlpf = this.regs[0x1a] & 0x07;
    const base = dlpf >= 1 && dlpf <= 6 ? 1000 : 8000;
    this.sampler.start(this.clock(), base / (1 + this.regs[0x19]));
  }

  private update(): void {
    const { times, skipped } = this.sampler.due(this.clock(), Math.ceil(CAPACITY / 6) + 1);
    const enabled = (this.regs[0x6a] & 0x40) !== 0 && (this.regs[0x23] & 0x08) !== 0;
    if (!enabled) return;
    if (skipped > 0) this.overflow = true;
    const s = 1 / (16384 >> ((this.regs[0x1c] >> 3) & 3));
    for (const t of times) {
      for (const g of this.signal(t)) {
        const c = toCounts(g, s, -32768, 32767) & 0xffff;
        this.fifo.push(c >> 8, c & 0xff);
      }
    }
    if (this.fifo.length > CAPACITY) {
      this.fifo.splice(0, this.fifo.length - CAPACITY);
      this.overflow = true;
    }
  }

  protected override nextPointer(p: number): number {
    return p === 0x74 ? p : (p + 1) & 0xff;
  }

  protected override readRegister(reg: number): number {
    this.update();
    switch (reg) {
      case 0x75:
        return this.whoAmI;
      case 0x3a: {
        const v = this.overflow ? 0x10 : 0;
        this.overflow = false; // INT_STATUS clears on read
        return v;
      }
      case 0x72:
        return (this.fifo.length >> 8) & 0xff;
      case 0x73:
        return this.fifo.length & 0xff;
      case 0x74:
        return this.fifo.shift() ?? 0;
      default:
        return this.regs[reg];
    }
  }

  protected override writeRegister(reg: number, value: number): void {
    this.update();
    if (reg === 0x6b && value & 0x80) {
      this.reset();
      return;
    }
    if (reg === 0x75 || reg === 0x3a || reg === 0x72 || reg === 0x73) return;
    if (reg === 0x6a && value & 0x04) {
      this.fifo = [];
      value &= ~0x04; // FIFO_RESET self-clears
    }
    this.regs[reg] = value;
    if (reg === 0x6b || reg === 0x19 || reg === 0x1a) this.restartSampling();
  }
}
