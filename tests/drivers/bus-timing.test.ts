import { describe, expect, it } from "vitest";
import { createAccelDriver, type AccelChip } from "../../drivers/i2c/chips.js";
import { chipSpec } from "../../drivers/i2c/chips.js";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";

/** Drains an accelerometer every half FIFO for `seconds` of emulated time on a bus with the given clock rate. */
async function drain(chip: AccelChip, rateHz: number, bitRateHz: number, seconds: number) {
  const clock = new VirtualClock(0);
  const bus = new SimI2cBus({ bitRateHz, overheadUs: 50, advance: (ms) => clock.advance(ms) });
  const address = chipSpec(chip).addresses[0];
  bus.attach(chipSpec(chip).emulator(address, clock.now));
  const d = createAccelDriver(chip, bus, address, clock, { rateHz, rangeG: 16 });
  await d.init();
  const t0 = clock.now();
  const poll = Math.floor((d.fifoSamples / 2) * (1000 / d.rateHz));
  let gaps = 0;
  while (clock.now() - t0 < seconds * 1000) {
    const due = clock.now() + poll;
    const b = await d.readBlock();
    if (b?.gapBefore) gaps++;
    if (clock.now() < due) clock.advance(due - clock.now());
  }
  return { stats: d.stats(), gaps, busShare: bus.busTimeMs / (clock.now() - t0) };
}

describe("bus time model: what an I2C bus can carry", () => {
  it("a transfer costs its clock cycles at the bus rate plus the per-transfer overhead", async () => {
    const clock = new VirtualClock(0);
    const bus = new SimI2cBus({ bitRateHz: 400_000, overheadUs: 50, advance: (ms) => clock.advance(ms) });
    bus.attach(chipSpec("adxl345").emulator(0x53, clock.now));
    await bus.readI2cBlock(0x53, 0x32, 6, Buffer.alloc(6));
    // address+W, register, address+R, 6 data bytes = 9 bytes x 9 clocks, plus S, Sr, P: 84 clocks = 210 us, + 50 us.
    expect(clock.now()).toBeCloseTo(0.26, 9);
  });

  it("ADXL345 at 3200 Hz cannot be carried by a 100 kHz bus: overflows are marked and the achieved rate is reported", async () => {
    const r = await drain("adxl345", 3200, 100_000, 2);
    expect(r.gaps).toBeGreaterThan(0);
    expect(r.stats.overflows).toBe(r.gaps);
    expect(r.stats.achievedHz).toBeLessThan(3200 * 0.5);
    expect(r.busShare).toBeGreaterThan(0.9);
  });

  it("ADXL345 at 800 Hz on a 400 kHz bus keeps up, with no gaps", async () => {
    const r = await drain("adxl345", 800, 400_000, 2);
    expect(r.gaps).toBe(0);
    // Delivered over elapsed time: only the samples still waiting in the FIFO at the end are missing.
    expect(r.stats.achievedHz).toBeGreaterThan(800 * 0.97);
    expect(r.stats.achievedHz).toBeLessThanOrEqual(800);
    expect(r.busShare).toBeLessThan(0.3);
  });
});
