// The contract every FIFO accelerometer driver meets against its emulator; each chip's test file runs it.
import { expect, it } from "vitest";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import type { AccelDriver, AccelOptions } from "../../drivers/i2c/driver.js";
import type { VibrationSignal } from "../../drivers/i2c/signals.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";
import type { SimDevice } from "../../drivers/i2c/sim-device.js";
import type { SampleBlock } from "../../drivers/types.js";

export interface AccelFixture {
  address: number;
  makeSim(address: number, clock: () => number): SimDevice & { setSignal(s: VibrationSignal): void; setChipId(id: number): void };
  makeDriver(bus: SimI2cBus, address: number, clock: VirtualClock, opts: AccelOptions): AccelDriver;
  /** Rate the test asks for and the rate the chip is expected to settle on. */
  rate: [number, number];
  gPerCount: number;
  fifoSamples: number;
}

export function setupAccel(f: AccelFixture, opts: Partial<AccelOptions> = {}) {
  const clock = new VirtualClock();
  const bus = new SimI2cBus();
  const sim = bus.attach(f.makeSim(f.address, clock.now));
  const driver = f.makeDriver(bus, f.address, clock, { rateHz: f.rate[0], rangeG: 4, ...opts });
  return { clock, bus, sim, driver };
}

/** Drains until a block arrives (the MPU-6050 answers an overflow with a FIFO reset and no block). */
async function nextBlock(driver: AccelDriver, clock: VirtualClock, stepMs: number): Promise<SampleBlock> {
  for (let i = 0; i < 10; i++) {
    const b = await driver.readBlock();
    if (b) return b;
    clock.advance(stepMs);
  }
  throw new Error("no block");
}

export function accelContract(f: AccelFixture): void {
  it("configures the nearest output data rate and the scale", () => {
    const { driver } = setupAccel(f);
    expect(driver.rateHz).toBeCloseTo(f.rate[1], 6);
    expect(driver.channels.map((c) => c.name)).toEqual(["x", "y", "z"]);
    expect(driver.channels[0].scale).toBeCloseTo(f.gPerCount, 12);
    expect(driver.fifoSamples).toBe(f.fifoSamples);
  });

  it("delivers the programmed waveform sample for sample, with continuous timestamps", async () => {
    const { driver, sim, clock } = setupAccel(f);
    const wave: VibrationSignal = (t) => [0.5 * Math.sin(2 * Math.PI * 7 * t), -0.25, 1];
    sim.setSignal(wave);
    await driver.init();
    const period = 1000 / driver.rateHz;
    const fill = Math.floor(f.fifoSamples / 2) * period;
    clock.advance(fill);
    const b1 = await nextBlock(driver, clock, period);
    clock.advance(fill);
    const b2 = await nextBlock(driver, clock, period);
    const n1 = b1.counts[0].length;
    expect(n1).toBeGreaterThan(0);
    expect(b1.gapBefore).toBeUndefined();
    expect(b2.gapBefore).toBeUndefined();
    expect(b2.t0).toBeCloseTo(b1.t0 + n1 * period, 6);
    for (const b of [b1, b2]) {
      expect(b.rateHz).toBe(driver.rateHz);
      b.counts[1].forEach((c) => expect(c * f.gPerCount).toBeCloseTo(-0.25, 1));
      b.counts[2].forEach((c) => expect(c * f.gPerCount).toBeCloseTo(1, 1));
    }
    // x follows the sine: the counts match the signal at the block's sample times within the quantisation.
    const x = b2.counts[0];
    for (let i = 0; i < x.length; i++) {
      const expected = wave((b2.t0 + i * period) / 1000)[0];
      expect(Math.abs(x[i] * f.gPerCount - expected)).toBeLessThan(f.gPerCount + 0.5 * 2 * Math.PI * 7 * (period / 1000) + 1e-9);
    }
    expect(driver.stats().samples).toBe(n1 + x.length);
  });

  it("marks a FIFO overflow as an explicit gap, never stitched, and reads aligned samples after it", async () => {
    const { driver, clock, sim } = setupAccel(f);
    sim.setSignal(() => [0.5, -0.25, 1]);
    await driver.init();
    const period = 1000 / driver.rateHz;
    clock.advance(3 * f.fifoSamples * period);
    const b = await nextBlock(driver, clock, period);
    expect(b.gapBefore?.reason).toBe("fifo-overflow");
    expect(b.gapBefore?.lostSamples ?? 0).toBeGreaterThan(0);
    expect(driver.stats().overflows).toBe(1);
    clock.advance(Math.floor(f.fifoSamples / 2) * period);
    const next = await nextBlock(driver, clock, period);
    expect(next.gapBefore).toBeUndefined();
    // Frame alignment survived the overflow: every axis still carries its own value.
    for (const blk of [b, next]) {
      expect(Array.from(new Set(blk.counts[0])).map((c) => c * f.gPerCount)).toEqual([expect.closeTo(0.5, 2)]);
      expect(Array.from(new Set(blk.counts[1])).map((c) => c * f.gPerCount)).toEqual([expect.closeTo(-0.25, 2)]);
      expect(Array.from(new Set(blk.counts[2])).map((c) => c * f.gPerCount)).toEqual([expect.closeTo(1, 2)]);
    }
  });

  it("returns null when the FIFO is empty", async () => {
    const { driver } = setupAccel(f);
    await driver.init();
    expect(await driver.readBlock()).toBeNull();
  });

  it("refuses a chip that answers with another ID", async () => {
    const { driver, sim } = setupAccel(f);
    sim.setChipId(0x00);
    await expect(driver.init()).rejects.toMatchObject({ kind: "id-mismatch", transient: false });
  });

  it("selects a subset of axes", async () => {
    const { driver, sim, clock } = setupAccel(f, { axes: ["z"] });
    sim.setSignal(() => [0.3, 0.2, -1]);
    await driver.init();
    clock.advance(Math.floor(f.fifoSamples / 2) * (1000 / driver.rateHz));
    const b = await nextBlock(driver, clock, 1);
    expect(b.counts).toHaveLength(1);
    expect(b.counts[0][0] * f.gPerCount).toBeCloseTo(-1, 1);
  });
}
