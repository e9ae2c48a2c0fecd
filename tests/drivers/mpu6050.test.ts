import { describe, expect, it } from "vitest";
import { Mpu6050 } from "../../drivers/i2c/mpu6050.js";
import { Mpu6050Sim } from "../../drivers/i2c/mpu6050.sim.js";
import { accelContract, setupAccel, type AccelFixture } from "./accel-contract.js";

const fixture: AccelFixture = {
  address: 0x68,
  makeSim: (a, c) => new Mpu6050Sim(a, c),
  makeDriver: (bus, a, clock, o) => new Mpu6050(bus, a, clock, o),
  rate: [1000, 1000],
  gPerCount: 1 / 8192,
  fifoSamples: 170,
};

describe("MPU-6050 contract against the emulator", () => {
  accelContract(fixture);

  it("powers up asleep (no samples) and the driver wakes it", async () => {
    const { driver, bus, clock } = setupAccel(fixture);
    expect(await bus.readByte(0x68, 0x6b)).toBe(0x40);
    expect(await bus.readByte(0x68, 0x75)).toBe(0x68);
    await driver.init();
    expect((await bus.readByte(0x68, 0x6b)) & 0x40).toBe(0);
    clock.advance(10);
    const cnt = Buffer.alloc(2);
    await bus.readI2cBlock(0x68, 0x72, 2, cnt);
    expect((cnt[0] << 8) | cnt[1]).toBe(60); // 10 samples x 6 bytes, big-endian count
  });

  it("sample rate divider: 1 kHz / (1 + SMPLRT_DIV)", async () => {
    const { driver, bus } = setupAccel(fixture, { rateHz: 200 });
    await driver.init();
    expect(driver.rateHz).toBe(200);
    expect(await bus.readByte(0x68, 0x19)).toBe(4);
  });
});
