import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import { createDemoBus, DEMO_CHIPS } from "../../drivers/i2c/demo-bus.js";
import { scanBus } from "../../drivers/i2c/scan.js";
import { Tmp102Sim } from "../../drivers/i2c/tmp102.sim.js";
import { Sht3xSim } from "../../drivers/i2c/sht3x.sim.js";
import type { Adxl345Sim } from "../../drivers/i2c/adxl345.sim.js";
import { RegisterSimDevice } from "../../drivers/i2c/sim-device.js";

class UnknownChip extends RegisterSimDevice {
  readonly chip = "unknown";
}

describe("scanBus", () => {
  it("identifies every chip of the demo bus and lists an unknown device", async () => {
    const clock = new VirtualClock();
    const bus = createDemoBus(clock.now);
    bus.attach(new UnknownChip(0x60, clock.now));
    const found = await scanBus(bus, clock);
    expect(found.map((d) => [d.chip, d.address])).toEqual([...DEMO_CHIPS.map(([c, a]) => [c, a]), [null, 0x60]].sort((x, y) => (x[1] as number) - (y[1] as number)));
  });

  it("does not mistake a chip with a wrong ID for a known one", async () => {
    const clock = new VirtualClock();
    const bus = createDemoBus(clock.now);
    bus.device<Adxl345Sim>(0x53)!.setChipId(0x00);
    const found = await scanBus(bus, clock);
    expect(found.find((d) => d.address === 0x53)?.chip).toBeNull();
  });

  it("tells SHT3x from SHT4x at the same address", async () => {
    const clock = new VirtualClock();
    const { SimI2cBus } = await import("../../drivers/i2c/sim-bus.js");
    const bus = new SimI2cBus();
    bus.attach(new Sht3xSim(0x45, clock.now));
    bus.attach(new Tmp102Sim(0x4a, clock.now));
    expect((await scanBus(bus, clock)).map((d) => d.chip)).toEqual(["sht3x", "tmp102"]);
  });
});

describe("edge-agent probe", () => {
  it("--simulate --json lists the demo chips with live readings", async () => {
    const r = await runCli(["probe", "--simulate", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { devices: { address: string; chip: string; reading: Record<string, number> }[] };
    expect(out.devices.map((d) => d.chip)).toEqual(DEMO_CHIPS.map(([c]) => c));
    const sht = out.devices.find((d) => d.chip === "sht3x")!;
    expect(sht.address).toBe("0x44");
    expect(sht.reading.temperature).toBeGreaterThan(2);
    expect(sht.reading.temperature).toBeLessThan(6);
    const adxl = out.devices.find((d) => d.chip === "adxl345")!;
    expect(adxl.reading.z).toBeCloseTo(1, 1);
  });

  it("prints a table", async () => {
    const r = await runCli(["probe", "--simulate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0x76\s+bme280\s+temperature [\d.]+ degC, pressure [\d.]+ hPa/);
  });

  it("exits 3 when the bus cannot be opened", async () => {
    const r = await runCli(["probe", "--bus", "250"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot open \/dev\/i2c-250/);
  });

  it("exits 2 on a bad command line", async () => {
    const r = await runCli(["probe", "--bus", "x"]);
    expect(r.code).toBe(2);
  });
});
