import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import { sensirionCrc8 } from "../../drivers/i2c/crc8.js";
import { Sht3x, sht3xHumidity, sht3xTemperature, SHT3X_CHANNELS } from "../../drivers/i2c/sht3x.js";
import { Sht3xSim } from "../../drivers/i2c/sht3x.sim.js";
import { constantClimate } from "../../drivers/i2c/signals.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";
import { DriverError } from "../../drivers/types.js";

function setup() {
  const clock = new VirtualClock();
  const bus = new SimI2cBus();
  const sim = bus.attach(new Sht3xSim(0x44, clock.now));
  sim.setSignal(constantClimate({ temperature: 4.2, humidity: 81.5 }));
  return { clock, bus, sim, driver: new Sht3x(bus, 0x44, clock) };
}

const physical = (counts: number[]) => counts.map((c, i) => c * SHT3X_CHANNELS[i].scale + SHT3X_CHANNELS[i].offset);

describe("SHT3x golden vectors (datasheet)", () => {
  it("CRC-8 of 0xBEEF is 0x92", () => {
    expect(sensirionCrc8([0xbe, 0xef])).toBe(0x92);
  });
  it("converts with 2^16 - 1 as the divisor", () => {
    expect(sht3xTemperature(0)).toBe(-45);
    expect(sht3xTemperature(0xffff)).toBe(130);
    expect(sht3xHumidity(0xffff)).toBe(100);
    expect(sht3xTemperature(0x6666)).toBeCloseTo(-45 + (175 * 0x6666) / 65535, 12);
  });
});

describe("SHT3x contract against the emulator", () => {
  it("initialises and reads the programmed climate within one count", async () => {
    const { driver } = setup();
    await driver.init();
    const [t, rh] = physical(await driver.read());
    expect(Math.abs(t - 4.2)).toBeLessThan(175 / 65535);
    expect(Math.abs(rh - 81.5)).toBeLessThan(100 / 65535);
  });

  it("emulator NACKs a read before the conversion time, and without a pending command", async () => {
    const { bus, clock } = setup();
    const buf = Buffer.alloc(6);
    await expect(bus.i2cRead(0x44, 6, buf)).rejects.toMatchObject({ code: "EREMOTEIO" });
    await bus.i2cWrite(0x44, 2, Buffer.from([0x24, 0x00]));
    await expect(bus.i2cRead(0x44, 6, buf)).rejects.toMatchObject({ code: "EREMOTEIO" });
    clock.advance(16);
    await bus.i2cRead(0x44, 6, buf);
    expect(sensirionCrc8(buf, 0, 2)).toBe(buf[2]);
    expect(sensirionCrc8(buf, 3, 2)).toBe(buf[5]);
  });

  it("status register shows reset detected after power-on and is cleared by init", async () => {
    const { driver, sim } = setup();
    expect(sim.status & 0x0010).toBe(0x0010);
    await driver.init();
    expect(await driver.status()).toBe(0);
  });

  it("a flipped bit never yields a value: CRC error", async () => {
    const { driver, sim } = setup();
    await driver.init();
    sim.injectBitFlips(1);
    const err = await driver.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as DriverError).kind).toBe("crc");
    const [t] = physical(await driver.read());
    expect(t).toBeCloseTo(4.2, 2);
  });

  it("an absent device is a NACK fault", async () => {
    const { driver, sim } = setup();
    sim.disappear();
    await expect(driver.init()).rejects.toMatchObject({ kind: "nack" });
    sim.reappear();
    await driver.init();
  });

  it("a stuck bus is a timeout fault", async () => {
    const { driver, bus } = setup();
    bus.stuck = true;
    await expect(driver.read()).rejects.toMatchObject({ kind: "timeout" });
  });
});
