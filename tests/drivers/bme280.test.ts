import { describe, expect, it } from "vitest";
import { Bme280, BME280_CHANNELS } from "../../drivers/i2c/bme280.js";
import { compensatePressure, compensateTemperature, parseCalibration, serializeCalibration } from "../../drivers/i2c/bme280-compensation.js";
import { Bme280Sim, EXAMPLE_CALIBRATION } from "../../drivers/i2c/bme280.sim.js";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import { constantClimate } from "../../drivers/i2c/signals.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";

describe("BME280 compensation golden vectors", () => {
  it("dig_T1=27504, dig_T2=26435, dig_T3=-1000, adc_T=519888 -> 25.08 degC (t_fine 128422)", () => {
    const [t, tFine] = compensateTemperature(519888, EXAMPLE_CALIBRATION);
    expect(t).toBe(2508);
    expect(tFine).toBe(128422);
  });
  it("pressure of the worked example (adc_P=415148) is 100653.27 Pa", () => {
    const p = compensatePressure(415148, 128422, EXAMPLE_CALIBRATION) / 256;
    expect(p).toBeCloseTo(100653.27, 1);
  });
  it("calibration survives serialise/parse, including the split 12-bit dig_H4/dig_H5", () => {
    const cal = { ...EXAMPLE_CALIBRATION, H4: -300, H5: 1234, H2: -5, H6: -7 };
    const { a, b } = serializeCalibration(cal);
    expect(parseCalibration(a, b)).toEqual(cal);
  });
});

describe("BME280 contract against the emulator", () => {
  it("reads temperature, pressure and humidity in forced mode", async () => {
    const clock = new VirtualClock();
    const bus = new SimI2cBus();
    const sim = bus.attach(new Bme280Sim(0x76, clock.now));
    sim.setSignal(constantClimate({ temperature: 3.87, pressure: 99_800, humidity: 88.2 }));
    const d = new Bme280(bus, 0x76, clock);
    await d.init();
    const v = (await d.read()).map((c, i) => c * BME280_CHANNELS[i].scale);
    expect(v[0]).toBeCloseTo(3.87, 2);
    expect(Math.abs(v[1] - 99_800)).toBeLessThan(2);
    expect(Math.abs(v[2] - 88.2)).toBeLessThan(0.1);
  });

  it("data read before a measurement ends shows old data (shadowing), status says measuring", async () => {
    const clock = new VirtualClock();
    const bus = new SimI2cBus();
    bus.attach(new Bme280Sim(0x76, clock.now));
    await bus.writeByte(0x76, 0xf4, 0x25);
    expect((await bus.readByte(0x76, 0xf3)) & 0x08).toBe(0x08);
    const buf = Buffer.alloc(8);
    await bus.readI2cBlock(0x76, 0xf7, 8, buf);
    expect(buf[3]).toBe(0x80); // still the reset value
    clock.advance(10);
    expect((await bus.readByte(0x76, 0xf3)) & 0x08).toBe(0);
    await bus.readI2cBlock(0x76, 0xf7, 8, buf);
    expect(buf[3]).not.toBe(0x80);
  });

  it("a wrong chip id (a BMP280, 0x58) is refused", async () => {
    const clock = new VirtualClock();
    const bus = new SimI2cBus();
    bus.attach(new Bme280Sim(0x76, clock.now)).setChipId(0x58);
    await expect(new Bme280(bus, 0x76, clock).init()).rejects.toMatchObject({ kind: "id-mismatch" });
  });
});
