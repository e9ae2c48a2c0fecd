// Emulator of the Microchip MCP9808: ID registers, ambient register with alert flags, resolution, conversion time.
import { coldRoomClimate, type ClimateSignal } from "./signals.js";
import { WordRegisterSim } from "./word-register.sim.js";

/** Table 5-1 / Register 5-6: conversion time (ms) by resolution setting 0..3. */
const CONVERSION_MS = [30, 65, 130, 250];

export class Mcp9808Sim extends WordRegisterSim {
  readonly chip = "mcp9808";
  config = 0;
  tUpper = 0;
  tLower = 0;
  tCrit = 0;
  resolution = 3;
  manufacturerId = 0x0054;
  deviceId = 0x0400;
  private signal: ClimateSignal = coldRoomClimate({ seed: 5 });

  constructor(address: number, clock: () => number) {
    super(address, clock);
  }

  setSignal(signal: ClimateSignal): void {
    this.signal = signal;
  }

  protected readWordRegister(reg: number): number {
    switch (reg & 0x0f) {
      case 1: return this.config;
      case 2: return this.tUpper;
      case 3: return this.tLower;
      case 4: return this.tCrit;
      case 5: return this.ambient();
      case 6: return this.manufacturerId;
      case 7: return this.deviceId;
      // The resolution register is 8 bits: a one-byte read gets it in the first byte.
      case 8: return (this.resolution << 8) | this.resolution;
      default: return 0;
    }
  }

  protected writeWordRegister(reg: number, value: number, bytes: number): void {
    switch (reg & 0x0f) {
      case 1: this.config = value; break;
      case 2: this.tUpper = value & 0x1ffc; break;
      case 3: this.tLower = value & 0x1ffc; break;
      case 4: this.tCrit = value & 0x1ffc; break;
      case 8: this.resolution = (bytes === 1 ? value : value >> 8) & 3; break;
    }
  }

  /** Register 5-4: flags TA >= TCRIT (15), TA > TUPPER (14), TA < TLOWER (13), sign (12), 1/16 degC. */
  private ambient(): number {
    const period = CONVERSION_MS[this.resolution];
    const t = Math.floor(this.clock() / period) * period;
    const step = [8, 4, 2, 1][this.resolution]; // 0.5, 0.25, 0.125, 0.0625 degC in 1/16 units
    const c = Math.round(this.signal(t).temperature * 16 / step) * step;
    const clamped = Math.min(0x0fff, Math.max(-0x1000, c));
    const asLimit = (r: number): number => ((r & 0x1000 ? (r & 0x1fff) - 0x2000 : r & 0x1fff));
    let flags = 0;
    if (clamped >= asLimit(this.tCrit)) flags |= 0x8000;
    if (clamped > asLimit(this.tUpper)) flags |= 0x4000;
    if (clamped < asLimit(this.tLower)) flags |= 0x2000;
    return flags | (clamped & 0x1fff);
  }
}
