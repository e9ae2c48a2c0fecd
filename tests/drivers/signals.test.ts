import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Adxl345 } from "../../drivers/i2c/adxl345.js";
import { Adxl345Sim } from "../../drivers/i2c/adxl345.sim.js";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import { recordedVibrationFile } from "../../drivers/i2c/recorded-signal.js";
import { coldRoomClimate, motorVibration } from "../../drivers/i2c/signals.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";

const dir = mkdtempSync(join(tmpdir(), "signals-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("emulator signals", () => {
  it("cold room stays around its setpoint with a compressor cycle", () => {
    const s = coldRoomClimate({ setpoint: 4 });
    const temps = Array.from({ length: 3600 }, (_, i) => s(1_700_000_000_000 + i * 1000).temperature);
    expect(Math.min(...temps)).toBeGreaterThan(2.9);
    expect(Math.max(...temps)).toBeLessThan(5.1);
    expect(Math.max(...temps) - Math.min(...temps)).toBeGreaterThan(0.8);
  });

  it("motor signal carries an impulse train at the fault rate", () => {
    const faultHz = 100;
    const s = motorVibration({ faultHz, noiseG: 0, unbalanceG: 0, resonanceHz: 1000, decayS: 0.001 });
    // Energy right after each impulse, nothing midway between impulses.
    const near = Math.abs(s(0.25 / 1000 + 10 / faultHz)[0]);
    const midway = Math.abs(s(0.5 / faultHz + 10 / faultHz)[0]);
    expect(near).toBeGreaterThan(0.3);
    expect(midway).toBeLessThan(0.01);
  });

  it("a recorded file of counts is replayed through the ADXL345 emulator and driver", async () => {
    const counts = Int16Array.from({ length: 64 }, (_, i) => (i - 32) * 100);
    const file = join(dir, "rec.i16");
    writeFileSync(file, Buffer.from(counts.buffer));
    // 100 counts of 1/2560 g each are 10 ADXL345 counts of 1/256 g.
    const clock = new VirtualClock(0);
    const bus = new SimI2cBus();
    const sim = bus.attach(new Adxl345Sim(0x53, clock.now));
    sim.setSignal(recordedVibrationFile(file, 800, 1 / 2560));
    const d = new Adxl345(bus, 0x53, clock, { rateHz: 800, rangeG: 16 });
    await d.init();
    clock.advance(20);
    const b = await d.readBlock();
    expect(Array.from(b!.counts[0])).toEqual(Array.from({ length: 16 }, (_, i) => (i - 32) * 10));
  });
});
