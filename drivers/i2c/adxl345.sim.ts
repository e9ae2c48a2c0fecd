// Emulator of the ADXL345: registers, BW_RATE output data rate, full resolution, 32-entry FIFO in bypass or
// stream mode with the overrun flag, data registers that pop the FIFO when read.
import { ADXL345_RATES } from "./adxl345.js";
import type { VibrationSignal } from "./signals.js";
import { RegisterSimDevice } from "./sim-device.js";
import { defaultVibration, SampleClock, toCounts, type VibrationSource } from "./sample-clock.sim.js";

const CAPACITY = 32;

export class Adxl345Sim extends RegisterSimDevice implements VibrationSource {
  readonly chip = "adxl345";
  private signal: VibrationSignal = defaultVibration();
  private readonly sampler = new SampleClock();
  private fifo: [number, number, number][] = [];
  private latest: [number, number, number] = [0, 0, 0];
  private overrun = false;

  constructor(address: number, clock: () => number) {
    super(address, clock);
    // Table 19: reset values.
    this.regs[0x00] = 0xe5;
    this.regs[0x2c] = 0x0a;
    this.regs[0x30] = 0x02;
  }

  setSignal(signal: VibrationSignal): void {
    this.signal = signal;
  }

  setChipId(id: number): void {
    this.regs[0x00] = id;
  }

  get fifoLength(): number {
    return this.fifo.length;
  }

  private rateHz(): number {
    const code = this.regs[0x2c] & 0x0f;
    return ADXL345_RATES.find((r) => r[1] === code)?.[0] ?? 3200 / 2 ** (15 - code);
  }

  private gPerCount(): number {
    const format = this.regs[0x31];
    const range = 2 << (format & 3);
    return format & 0x08 ? 1 / 256 : range / 1024; // FULL_RES keeps 3.9 mg/LSB; 10-bit mode spans the range
  }

  private update(): void {
    const { times, skipped } = this.sampler.due(this.clock(), CAPACITY + 1);
    const streaming = (this.regs[0x38] & 0xc0) === 0x80;
    if (skipped > 0 && streaming) this.overrun = true;
    const s = this.gPerCount();
    const limit = this.regs[0x31] & 0x08 ? (256 * (2 << (this.regs[0x31] & 3))) : 512;
    for (const t of times) {
      const g = this.signal(t);
      const c: [number, number, number] = [toCounts(g[0], s, -limit, limit - 1), toCounts(g[1], s, -limit, limit - 1), toCounts(g[2], s, -limit, limit - 1)];
      this.latest = c;
      if (!streaming) continue;
      if (this.fifo.length >= CAPACITY) {
        this.fifo.shift();
        this.overrun = true;
      }
      this.fifo.push(c);
    }
  }

  private front(): [number, number, number] {
    return this.fifo[0] ?? this.latest;
  }

  protected override readRegister(reg: number): number {
    this.update();
    if (reg >= 0x32 && reg <= 0x37) {
      const v = this.front()[(reg - 0x32) >> 1] & 0xffff;
      return reg & 1 ? v >> 8 : v & 0xff;
    }
    if (reg === 0x30) {
      const entries = this.fifo.length;
      const watermark = entries >= (this.regs[0x38] & 0x1f) ? 0x02 : 0;
      return (entries > 0 ? 0x80 : 0) | watermark | (this.overrun ? 0x01 : 0);
    }
    if (reg === 0x39) return Math.min(CAPACITY, this.fifo.length);
    return this.regs[reg];
  }

  protected override writeRegister(reg: number, value: number): void {
    this.update();
    if (reg === 0x00 || reg === 0x30 || reg === 0x39 || (reg >= 0x32 && reg <= 0x37)) return; // read-only
    this.regs[reg] = value;
    if (reg === 0x2d || reg === 0x2c) {
      if (this.regs[0x2d] & 0x08) this.sampler.start(this.clock(), this.rateHz());
      else this.sampler.stop();
    }
    if (reg === 0x38 && (value & 0xc0) === 0) {
      this.fifo = [];
      this.overrun = false;
    }
  }

  protected override onRead(length: number): Uint8Array {
    const start = this.pointer;
    const out = super.onRead(length);
    // Reading the data registers moves the next FIFO entry in and clears the overrun it reported.
    if (start <= 0x37 && start + length > 0x32 && this.fifo.length > 0) {
      this.fifo.shift();
      this.overrun = false;
    }
    return out;
  }
}
