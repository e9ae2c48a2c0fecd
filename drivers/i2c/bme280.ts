// Bosch BME280 temperature, pressure and humidity sensor (datasheet BST-BME280-DS002), in forced mode.
import type { ChannelInfo } from "../types.js";
import { DriverError } from "../types.js";
import {
  compensateHumidity,
  compensatePressure,
  compensateTemperature,
  parseCalibration,
  type Bme280Calibration,
} from "./bme280-compensation.js";
import type { DriverClock } from "./clock.js";
import type { PeriodicDriver } from "./driver.js";
import { onBus, readBlockExact } from "./errors.js";
import type { SmbusPort } from "./port.js";
import { idRegisterIs } from "./identify.js";

export const BME280_ADDRESSES = [0x76, 0x77];

/** Section 5.3, Table 18: memory map. */
export const REG = {
  calibA: 0x88,
  id: 0xd0,
  reset: 0xe0,
  calibB: 0xe1,
  ctrlHum: 0xf2,
  status: 0xf3,
  ctrlMeas: 0xf4,
  config: 0xf5,
  data: 0xf7,
} as const;
export const BME280_CHIP_ID = 0x60;
const RESET_WORD = 0xb6;
/** ctrl_meas: osrs_t = x1 (bits 7:5 = 001), osrs_p = x1 (bits 4:2 = 001), mode = forced (01). Section 5.4.5. */
const CTRL_MEAS_FORCED = (1 << 5) | (1 << 2) | 0x01;
/** Section 9.1: maximum measurement time with x1 oversampling of all three: 1.25 + 2.3 + 2 x (2.3 + 0.575) ms. */
export const BME280_MEASURE_MS = 9.3;
/** Section 5.4.4 / 5.4.7: the "skipped" (reset) value of the ADC registers: no measurement yet. */
const ADC_SKIPPED_20 = 0x80000;

export const BME280_CHANNELS: ChannelInfo[] = [
  { name: "temperature", unit: "degC", scale: 0.01, offset: 0 },
  { name: "pressure", unit: "Pa", scale: 1 / 256, offset: 0 },
  { name: "humidity", unit: "%RH", scale: 1 / 1024, offset: 0 },
];

export class Bme280 implements PeriodicDriver {
  readonly chip = "bme280";
  readonly channels = BME280_CHANNELS;
  calibration: Bme280Calibration | undefined;

  constructor(
    private readonly bus: SmbusPort,
    readonly address: number,
    private readonly clock: DriverClock,
  ) {}

  async init(): Promise<void> {
    const id = await onBus("read chip id", () => this.bus.readByte(this.address, REG.id));
    if (id !== BME280_CHIP_ID) throw new DriverError("id-mismatch", `chip id 0x${id.toString(16)} is not a BME280's (0x60)`, false);
    await onBus("soft reset", () => this.bus.writeByte(this.address, REG.reset, RESET_WORD));
    await this.clock.sleep(2); // Table 1: start-up time 2 ms
    for (let i = 0; i < 10; i++) {
      const status = await onBus("read status", () => this.bus.readByte(this.address, REG.status));
      if ((status & 0x01) === 0) break; // im_update: NVM copy to image registers done
      await this.clock.sleep(1);
    }
    const a = Buffer.alloc(26);
    const b = Buffer.alloc(7);
    await readBlockExact(this.bus, this.address, REG.calibA, 26, a, "read calibration");
    await readBlockExact(this.bus, this.address, REG.calibB, 7, b, "read calibration");
    const cal = parseCalibration(a, b);
    if (cal.T1 === 0 || cal.P1 === 0) throw new DriverError("protocol", "calibration block reads as zeros");
    this.calibration = cal;
    // Section 5.4.3: ctrl_hum only takes effect after a write to ctrl_meas, so it goes first.
    await onBus("write ctrl_hum", () => this.bus.writeByte(this.address, REG.ctrlHum, 0x01));
    await onBus("write config", () => this.bus.writeByte(this.address, REG.config, 0x00));
  }

  /** Counts: [0.01 degC, 1/256 Pa, 1/1024 %RH]. */
  async read(): Promise<number[]> {
    const cal = this.calibration;
    if (!cal) throw new DriverError("protocol", "read before init", true);
    await onBus("start forced measurement", () => this.bus.writeByte(this.address, REG.ctrlMeas, CTRL_MEAS_FORCED));
    await this.clock.sleep(BME280_MEASURE_MS);
    for (let i = 0; ; i++) {
      const status = await onBus("read status", () => this.bus.readByte(this.address, REG.status));
      if ((status & 0x08) === 0) break; // measuring
      if (i >= 5) throw new DriverError("not-ready", "measurement did not complete");
      await this.clock.sleep(2);
    }
    const d = Buffer.alloc(8);
    await readBlockExact(this.bus, this.address, REG.data, 8, d, "read data");
    const adcP = (d[0] << 12) | (d[1] << 4) | (d[2] >> 4);
    const adcT = (d[3] << 12) | (d[4] << 4) | (d[5] >> 4);
    const adcH = (d[6] << 8) | d[7];
    if (adcT === ADC_SKIPPED_20 || adcP === ADC_SKIPPED_20) throw new DriverError("not-ready", "no measurement in the data registers");
    const [t, tFine] = compensateTemperature(adcT, cal);
    return [t, compensatePressure(adcP, tFine, cal), compensateHumidity(adcH, tFine, cal)];
  }
}

export function identifyBme280(bus: SmbusPort, address: number): Promise<boolean> {
  return idRegisterIs(bus, address, REG.id, BME280_CHIP_ID);
}
