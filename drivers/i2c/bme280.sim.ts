// Emulator of the Bosch BME280: ID, calibration NVM, reset, forced-mode measurements with their duration, and
// ADC values that the datasheet compensation turns back into the programmed climate.
import {
  compensateHumidity,
  compensatePressure,
  compensateTemperature,
  serializeCalibration,
  type Bme280Calibration,
} from "./bme280-compensation.js";
import { coldRoomClimate, type ClimateSignal } from "./signals.js";
import { RegisterSimDevice } from "./sim-device.js";

/**
 * Temperature and pressure trimming from the datasheet's worked example (BMP280 datasheet section 3.12, the same
 * compensation), humidity trimming typical of production parts.
 */
export const EXAMPLE_CALIBRATION: Bme280Calibration = {
  T1: 27504, T2: 26435, T3: -1000,
  P1: 36477, P2: -10685, P3: 3024, P4: 2855, P5: 140, P6: -7, P7: 15500, P8: -14600, P9: 6000,
  H1: 75, H2: 362, H3: 0, H4: 313, H5: 50, H6: 30,
};

/** Smallest x in [lo, hi] with f(x) >= target (f increasing), by bisection. */
function invert(f: (x: number) => number, target: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (f(mid) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class Bme280Sim extends RegisterSimDevice {
  readonly chip = "bme280";
  private signal: ClimateSignal = coldRoomClimate({ seed: 7 });
  private measuringUntil = 0;
  private imUpdateUntil = 0;
  private idLocked = false;

  constructor(
    address: number,
    clock: () => number,
    readonly calibration: Bme280Calibration = EXAMPLE_CALIBRATION,
  ) {
    super(address, clock);
    this.powerOn();
  }

  setSignal(signal: ClimateSignal): void {
    this.signal = signal;
  }

  /** Fault injection: answer with another chip ID (e.g. 0x58, a BMP280). */
  setChipId(id: number): void {
    this.regs[0xd0] = id;
    this.idLocked = true;
  }

  private powerOn(): void {
    const { a, b } = serializeCalibration(this.calibration);
    this.regs.fill(0);
    this.regs.set(a, 0x88);
    this.regs.set(b, 0xe1);
    if (!this.idLocked) this.regs[0xd0] = 0x60;
    // Section 5.4.7-5.4.9: ADC registers reset to 0x80000 (T, P) and 0x8000 (H).
    this.regs.set([0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00], 0xf7);
  }

  protected override readRegister(reg: number): number {
    if (reg === 0xf3) {
      const now = this.clock();
      return (now < this.measuringUntil ? 0x08 : 0) | (now < this.imUpdateUntil ? 0x01 : 0);
    }
    if (reg === 0xf4 && this.clock() >= this.measuringUntil) return this.regs[0xf4] & ~0x03; // back to sleep mode
    return this.regs[reg];
  }

  protected override writeRegister(reg: number, value: number): void {
    if (reg === 0xe0) {
      if (value === 0xb6) {
        this.powerOn();
        this.imUpdateUntil = this.clock() + 1;
      }
      return;
    }
    if (reg < 0xf2 || reg > 0xf5 || reg === 0xf3) return; // read-only
    this.regs[reg] = value;
    if (reg === 0xf4 && (value & 0x03) !== 0) this.startMeasurement();
  }

  private startMeasurement(): void {
    const now = this.clock();
    this.measuringUntil = now + 9.3;
    // The result registers are updated at the end of the conversion; the emulator computes them now and a read
    // before the end still sees the old values, as shadowing on the chip does.
    const c = this.signal(now);
    const cal = this.calibration;
    const adcT = invert((x) => compensateTemperature(x, cal)[0], Math.round(c.temperature * 100), 0, 0xfffff);
    const tFine = compensateTemperature(adcT, cal)[1];
    // Pressure falls as adc_P rises.
    const adcP = 0xfffff - invert((x) => compensatePressure(0xfffff - x, tFine, cal), Math.round(c.pressure * 256), 0, 0xfffff);
    const adcH = invert((x) => compensateHumidity(x, tFine, cal), Math.round(c.humidity * 1024), 0, 0xffff);
    const p = adcP;
    const pending = [p >> 12, (p >> 4) & 0xff, (p & 0x0f) << 4, adcT >> 12, (adcT >> 4) & 0xff, (adcT & 0x0f) << 4, adcH >> 8, adcH & 0xff];
    this.pendingCommit = { until: this.measuringUntil, pending };
  }

  private pendingCommit: { until: number; pending: number[] } | undefined;

  protected override onRead(length: number): Uint8Array {
    if (this.pendingCommit && this.clock() >= this.pendingCommit.until) {
      this.regs.set(this.pendingCommit.pending, 0xf7);
      this.pendingCommit = undefined;
    }
    return super.onRead(length);
  }
}
