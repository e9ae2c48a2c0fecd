import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import { Mcp9808, mcp9808Counts } from "../../drivers/i2c/mcp9808.js";
import { Mcp9808Sim } from "../../drivers/i2c/mcp9808.sim.js";
import { constantClimate } from "../../drivers/i2c/signals.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";

describe("MCP9808 ambient register decoding (datasheet Register 5-4)", () => {
  it("masks the three flag bits and sign-extends bit 12", () => {
    expect(mcp9808Counts(0xe000 | 0x0190) * 0.0625).toBe(25);
    expect(mcp9808Counts(0x1ff0) * 0.0625).toBe(-1);
    // -25 degC: the datasheet's sample code (256 - value) would give +231 here.
    expect(mcp9808Counts(0x2000 | 0x1e70) * 0.0625).toBe(-25);
  });
});

describe("MCP9808 contract against the emulator", () => {
  it("checks IDs, reads through alert flags, negative values right", async () => {
    const clock = new VirtualClock();
    const bus = new SimI2cBus();
    const sim = bus.attach(new Mcp9808Sim(0x18, clock.now));
    const d = new Mcp9808(bus, 0x18, clock);
    await d.init();
    sim.setSignal(constantClimate({ temperature: 31.25 }));
    expect((await d.read())[0] * 0.0625).toBe(31.25); // flags TA >= TCRIT and TA > TUPPER are set here
    sim.setSignal(constantClimate({ temperature: -20.0625 }));
    expect((await d.read())[0] * 0.0625).toBe(-20.0625);
  });

  it("rejects a wrong device ID as a non-transient id-mismatch", async () => {
    const clock = new VirtualClock();
    const bus = new SimI2cBus();
    const sim = bus.attach(new Mcp9808Sim(0x18, clock.now));
    sim.deviceId = 0x0500;
    await expect(new Mcp9808(bus, 0x18, clock).init()).rejects.toMatchObject({ kind: "id-mismatch", transient: false });
  });
});
