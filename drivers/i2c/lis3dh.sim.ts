// Emulator of the ST LIS3DH: registers with auto-increment on sub-address bit 7, ODR, high-resolution output,
// 32-level FIFO in bypass or stream mode with OVRN_FIFO, and the 0x2D -> 0x28 wrap when reading the FIFO.
import { LIS3DH_G_PER_COUNT, LIS3DH_RATES } from "./lis3dh.js";
import type { VibrationSignal } from "./signals.js";
import { SimDevice } from "./sim-device.js";
import { defaultVibration, SampleClock, toCounts, type VibrationSource } from "./sample-clock.sim.js";

const CAPACITY = 32;

export class Lis3dhSim extends SimDevice implements VibrationSource {
  readonly chip = "lis3dh";
  private readonly regs = new Uint8Array(0x40);
  private pointer = 0;
  private signal: VibrationSignal = defaultVibration();
  private readonly sampler = new SampleClock();
  private fifo: number[][] = [];
  private latest = [0, 0, 0];

  constructor(address: number, clock: () => number) {
    super(address, clock);
    this.regs[0x0f] = 0x33;
    this.regs[0x20] = 0x07; // CTRL_REG1 power-on: power-down, all axes enabled
  }

  setSignal(signal: VibrationSignal): void {
    this.signal = signal;
  }

  setChipId(id: number): void {
    this.regs[0x0f] = id;
  }

  private fifoMode(): number {
    return this.regs[0x24] & 0x40 ? (this.regs[0x2e] >> 6) & 3 : 0;
  }

  private update(): void {
    const { times, skipped } = this.sampler.due(this.clock(), CAPACITY + 1);
    const streaming = this.fifoMode() === 2;
    const sens = LIS3DH_G_PER_COUNT[2 << ((this.regs[0x23] >> 4) & 3)];
    if (skipped > 0 && streaming) this.fifo = [];
    for (const t of times) {
      const g = this.signal(t);
      // High-resolution output: 12-bit counts left-justified in 16 bits.
      const c = g.map((v) => (toCounts(v, sens, -2048, 2047) << 4) & 0xffff);
      this.latest = c;
      if (!streaming) continue;
      if (this.fifo.length >= CAPACITY) this.fifo.shift();
      this.fifo.push(c);
    }
  }

  private readReg(reg: number): number {
    if (reg >= 0x28 && reg <= 0x2d) {
      const v = (this.fifo[0] ?? this.latest)[(reg - 0x28) >> 1];
      return reg & 1 ? v >> 8 : v & 0xff;
    }
    if (reg === 0x2f) {
      const n = this.fifo.length;
      const wtm = n > (this.regs[0x2e] & 0x1f) ? 0x80 : 0;
      return wtm | (n >= CAPACITY ? 0x40 : 0) | (n === 0 ? 0x20 : 0) | Math.min(31, n);
    }
    return this.regs[reg] ?? 0;
  }

  private writeReg(reg: number, value: number): void {
    if (reg === 0x0f || reg === 0x2f || (reg >= 0x28 && reg <= 0x2d) || reg >= this.regs.length) return;
    this.regs[reg] = value;
    if (reg === 0x20) {
      const code = value >> 4;
      const rate = LIS3DH_RATES.find((r) => r[1] === code)?.[0];
      if (rate) this.sampler.start(this.clock(), rate);
      else this.sampler.stop();
    }
    if ((reg === 0x2e || reg === 0x24) && this.fifoMode() === 0) this.fifo = [];
  }

  protected onWrite(data: Uint8Array): void {
    if (data.length === 0) return;
    this.update();
    this.pointer = data[0];
    let p = this.pointer & 0x7f;
    for (let i = 1; i < data.length; i++) {
      this.writeReg(p, data[i]);
      if (this.pointer & 0x80) p++;
    }
  }

  protected onRead(length: number): Uint8Array {
    this.update();
    const auto = (this.pointer & 0x80) !== 0;
    let p = this.pointer & 0x7f;
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      out[i] = this.readReg(p);
      if (p === 0x2d && this.fifoMode() !== 0 && this.fifo.length > 0) this.fifo.shift();
      if (!auto) continue;
      p = p === 0x2d && this.fifoMode() !== 0 ? 0x28 : p + 1;
    }
    return out;
  }
}
