import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import { constantClimate } from "../../drivers/i2c/signals.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";
import { identifyTmp102, Tmp102, tmp102Counts } from "../../drivers/i2c/tmp102.js";
import { Tmp102Sim } from "../../drivers/i2c/tmp102.sim.js";

describe("TMP102 golden vectors (datasheet Table 1/2)", () => {
  it("12-bit: 0x190 -> 25, 0xE70 -> -25, 0xC90 -> -55 degC", () => {
    expect(tmp102Counts(0x190 << 4) * 0.0625).toBe(25);
    expect(tmp102Counts(0xe70 << 4) * 0.0625).toBe(-25);
    expect(tmp102Counts(0xc90 << 4) * 0.0625).toBe(-55);
    expect(tmp102Counts(0xfff << 4) * 0.0625).toBe(-0.0625);
  });
  it("13-bit extended: 150 degC is 0x960, bit 0 set", () => {
    expect(tmp102Counts((0x960 << 3) | 1) * 0.0625).toBe(150);
    expect(tmp102Counts(((0x1c90 << 3) | 1) & 0xffff) * 0.0625).toBe(-55);
  });
});

describe("TMP102 contract against the emulator", () => {
  for (const extendedMode of [false, true]) {
    it(`reads negative and positive temperatures (${extendedMode ? "13" : "12"}-bit)`, async () => {
      const clock = new VirtualClock();
      const bus = new SimI2cBus();
      const sim = bus.attach(new Tmp102Sim(0x48, clock.now));
      const d = new Tmp102(bus, 0x48, clock, extendedMode);
      await d.init();
      expect(sim.config & 0x10).toBe(extendedMode ? 0x10 : 0);
      sim.setSignal(constantClimate({ temperature: -21.5 }));
      expect((await d.read())[0] * 0.0625).toBe(-21.5);
      sim.setSignal(constantClimate({ temperature: 135 }));
      expect((await d.read())[0] * 0.0625).toBe(extendedMode ? 135 : 127.9375);
    });
  }

  it("identifies by the read-only config bits and rejects something else", async () => {
    const clock = new VirtualClock();
    const bus = new SimI2cBus();
    bus.attach(new Tmp102Sim(0x48, clock.now));
    expect(await identifyTmp102(bus, 0x48)).toBe(true);
    expect(await identifyTmp102(bus, 0x49)).toBe(false);
  });

  it("a NACK surfaces as a nack fault", async () => {
    const clock = new VirtualClock();
    const bus = new SimI2cBus();
    const sim = bus.attach(new Tmp102Sim(0x48, clock.now));
    const d = new Tmp102(bus, 0x48, clock);
    await d.init();
    sim.injectNack();
    await expect(d.read()).rejects.toMatchObject({ kind: "nack" });
    await expect(d.read()).resolves.toHaveLength(1);
  });
});
