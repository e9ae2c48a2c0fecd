import { describe, expect, it } from "vitest";
import { Adxl345, ADXL345_RATES } from "../../drivers/i2c/adxl345.js";
import { Adxl345Sim } from "../../drivers/i2c/adxl345.sim.js";
import { accelContract, setupAccel, type AccelFixture } from "./accel-contract.js";

const fixture: AccelFixture = {
  address: 0x53,
  makeSim: (a, c) => new Adxl345Sim(a, c),
  makeDriver: (bus, a, clock, o) => new Adxl345(bus, a, clock, o),
  rate: [1000, 800],
  gPerCount: 1 / 256,
  fifoSamples: 32,
};

describe("ADXL345 contract against the emulator", () => {
  accelContract(fixture);

  it("uses the BW_RATE codes of the datasheet (Table 7) and FULL_RES", async () => {
    expect(ADXL345_RATES.find((r) => r[0] === 3200)?.[1]).toBe(0x0f);
    expect(ADXL345_RATES.find((r) => r[0] === 100)?.[1]).toBe(0x0a);
    const { driver, bus } = setupAccel({ ...fixture, rate: [3200, 3200] }, { rangeG: 16 });
    await driver.init();
    expect(await bus.readByte(0x53, 0x2c)).toBe(0x0f);
    expect(await bus.readByte(0x53, 0x31)).toBe(0x0b); // FULL_RES | +-16 g
    expect((await bus.readByte(0x53, 0x38)) >> 6).toBe(2); // stream mode
  });

  it("reads the FIFO in 6-byte bursts sized by FIFO_STATUS entries", async () => {
    const { driver, bus, clock } = setupAccel(fixture);
    await driver.init();
    clock.advance(20); // 16 samples at 800 Hz
    bus.logTransfers = true;
    const b = await driver.readBlock();
    expect(b?.counts[0].length).toBe(16);
    expect(bus.log.filter((l) => l.op === "readI2cBlock")).toHaveLength(16);
  });
});
