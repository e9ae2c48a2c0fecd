// Emulator of the TI TMP102: pointer + 16-bit registers, 12/13-bit modes, conversions at the configured rate.
import { coldRoomClimate, type ClimateSignal } from "./signals.js";
import { WordRegisterSim } from "./word-register.sim.js";

/** Table 8: conversion rate CR1:CR0 (bits 7:6) -> period in ms (0.25, 1, 4, 8 Hz). */
const PERIOD_MS = [4000, 1000, 250, 125];

export class Tmp102Sim extends WordRegisterSim {
  readonly chip = "tmp102";
  /** Power-on defaults (Table 6/8): config 0x60A0, T_LOW 75 degC, T_HIGH 80 degC. */
  config = 0x60a0;
  tLow = 0x4b00;
  tHigh = 0x5000;
  private signal: ClimateSignal = coldRoomClimate({ seed: 3 });

  constructor(address: number, clock: () => number) {
    super(address, clock);
  }

  setSignal(signal: ClimateSignal): void {
    this.signal = signal;
  }

  protected readWordRegister(reg: number): number {
    switch (reg & 0x03) {
      case 0:
        return this.temperatureRegister();
      case 1:
        return this.config;
      case 2:
        return this.tLow;
      default:
        return this.tHigh;
    }
  }

  protected writeWordRegister(reg: number, value: number, bytes: number): void {
    const v = bytes === 1 ? (value << 8) | (this.readWordRegister(reg) & 0xff) : value;
    if ((reg & 3) === 1) this.config = (v & ~0x600f) | 0x6000; // R1:R0 read-only ones, low nibble reads zero
    if ((reg & 3) === 2) this.tLow = v;
    if ((reg & 3) === 3) this.tHigh = v;
  }

  /** The register holds the last completed conversion. */
  private temperatureRegister(): number {
    const period = PERIOD_MS[(this.config >> 6) & 3];
    const t = Math.floor(this.clock() / period) * period;
    const extended = (this.config & 0x10) !== 0;
    const c = Math.round(this.signal(t).temperature / 0.0625);
    if (extended) return ((Math.min(4095, Math.max(-4096, c)) << 3) | 1) & 0xffff;
    return (Math.min(2047, Math.max(-2048, c)) << 4) & 0xffff;
  }
}
