import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import { Sht4x, sht4xHumidity, SHT4X_CHANNELS } from "../../drivers/i2c/sht4x.js";
import { Sht4xSim } from "../../drivers/i2c/sht4x.sim.js";
import { constantClimate } from "../../drivers/i2c/signals.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";

function setup() {
  const clock = new VirtualClock();
  const bus = new SimI2cBus();
  const sim = bus.attach(new Sht4xSim(0x44, clock.now));
  return { clock, bus, sim, driver: new Sht4x(bus, 0x44, clock) };
}

describe("SHT4x", () => {
  it("humidity formula -6 + 125 S / (2^16 - 1), clamped to 0..100 (datasheet 4.6)", () => {
    expect(sht4xHumidity(0)).toBe(0);
    expect(sht4xHumidity(0xffff)).toBe(100);
    expect(sht4xHumidity(32768)).toBeCloseTo(-6 + (125 * 32768) / 65535, 12);
  });

  it("reads temperature and humidity and the serial number", async () => {
    const { driver, sim } = setup();
    sim.setSignal(constantClimate({ temperature: -18.3, humidity: 55 }));
    await driver.init();
    expect(driver.serial).toBe(0x0f3a8b21);
    const c = await driver.read();
    expect(c[0] * SHT4X_CHANNELS[0].scale + SHT4X_CHANNELS[0].offset).toBeCloseTo(-18.3, 2);
    expect(c[1] * SHT4X_CHANNELS[1].scale).toBeCloseTo(55, 1);
  });

  it("reports a CRC mismatch and an early read is retried, not returned", async () => {
    const { driver, sim, bus } = setup();
    await driver.init();
    sim.injectBitFlips(1);
    await expect(driver.read()).rejects.toMatchObject({ kind: "crc" });
    await bus.i2cWrite(0x44, 1, Buffer.from([0xfd]));
    await expect(bus.i2cRead(0x44, 6, Buffer.alloc(6))).rejects.toMatchObject({ code: "EREMOTEIO" });
  });

  it("humidity above 100 %RH is clamped", async () => {
    const { driver, sim } = setup();
    sim.setSignal(constantClimate({ temperature: 5, humidity: 118 }));
    await driver.init();
    expect((await driver.read())[1]).toBe(10000);
  });
});
