import { describe, expect, it } from "vitest";
import { Lis3dh } from "../../drivers/i2c/lis3dh.js";
import { Lis3dhSim } from "../../drivers/i2c/lis3dh.sim.js";
import { accelContract, setupAccel, type AccelFixture } from "./accel-contract.js";

const fixture: AccelFixture = {
  address: 0x19,
  makeSim: (a, c) => new Lis3dhSim(a, c),
  makeDriver: (bus, a, clock, o) => new Lis3dh(bus, a, clock, o),
  rate: [1000, 1344],
  gPerCount: 0.002,
  fifoSamples: 32,
};

describe("LIS3DH contract against the emulator", () => {
  accelContract(fixture);

  it("WHO_AM_I is 0x33 at 0x0F; without bit 7 the sub-address does not auto-increment", async () => {
    const { bus } = setupAccel(fixture);
    expect(await bus.readByte(0x19, 0x0f)).toBe(0x33);
    const buf = Buffer.alloc(2);
    await bus.readI2cBlock(0x19, 0x0f, 2, buf);
    expect([...buf]).toEqual([0x33, 0x33]);
    await bus.readI2cBlock(0x19, 0x0f | 0x80, 2, buf);
    expect(buf[1]).toBe(0x00); // 0x10 (reserved) follows with auto-increment
  });

  it("reads up to five FIFO samples per block transfer", async () => {
    const { driver, bus, clock } = setupAccel(fixture);
    await driver.init();
    clock.advance(10 * (1000 / 1344) + 0.1);
    bus.logTransfers = true;
    const b = await driver.readBlock();
    expect(b?.counts[0].length).toBe(10);
    expect(bus.log.filter((l) => l.op === "readI2cBlock")).toHaveLength(2);
  });
});
