// Every SMBus driver on the real kernel bus (i2c-bus -> /dev/i2c-N -> i2c-stub) against its emulator: the
// registers the driver read from the emulator are loaded into i2c-stub, the same driver runs again on the real
// bus, and it must produce the same values. That exercises the ioctl paths, the SMBus transfer types and byte
// order each driver relies on. (SHT3x/SHT4x speak plain I2C, which i2c-stub does not: they stay on the emulator.)
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../agent/cli/main.js";
import { Adxl345 } from "../../drivers/i2c/adxl345.js";
import { Adxl345Sim } from "../../drivers/i2c/adxl345.sim.js";
import { Bme280 } from "../../drivers/i2c/bme280.js";
import { Bme280Sim } from "../../drivers/i2c/bme280.sim.js";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import type { AccelDriver, PeriodicDriver } from "../../drivers/i2c/driver.js";
import { Lis3dh } from "../../drivers/i2c/lis3dh.js";
import { Lis3dhSim } from "../../drivers/i2c/lis3dh.sim.js";
import { serializeBus } from "../../drivers/i2c/lock.js";
import { Mcp9808 } from "../../drivers/i2c/mcp9808.js";
import { Mcp9808Sim } from "../../drivers/i2c/mcp9808.sim.js";
import { Mpu6050 } from "../../drivers/i2c/mpu6050.js";
import { Mpu6050Sim } from "../../drivers/i2c/mpu6050.sim.js";
import { openI2cBus } from "../../drivers/i2c/open-bus.js";
import type { I2cBus, SmbusPort } from "../../drivers/i2c/port.js";
import { constantClimate, type VibrationSignal } from "../../drivers/i2c/signals.js";
import { SimI2cBus } from "../../drivers/i2c/sim-bus.js";
import type { SimDevice } from "../../drivers/i2c/sim-device.js";
import { Tmp102 } from "../../drivers/i2c/tmp102.js";
import { Tmp102Sim } from "../../drivers/i2c/tmp102.sim.js";
import { DriverError, type SampleBlock } from "../../drivers/types.js";
import { loadStub, RegisterRecorder } from "./support/register-mirror.js";
import { stubAddresses, stubBusNumber } from "./support/i2c-stub.js";

const T0 = 1_800_000_000_000;
let kernelBus: I2cBus;

beforeAll(async () => {
  kernelBus = serializeBus(await openI2cBus(stubBusNumber()));
});

afterAll(async () => {
  await kernelBus?.close();
});

interface PeriodicCase {
  chip: string;
  address: number;
  sim: (address: number, now: () => number) => SimDevice & { setSignal(s: ReturnType<typeof constantClimate>): void };
  driver: (bus: SmbusPort, address: number, clock: VirtualClock) => PeriodicDriver;
}

const climate = constantClimate({ temperature: -18.25, humidity: 41.5, pressure: 99_850 });

const periodic: PeriodicCase[] = [
  { chip: "tmp102", address: 0x48, sim: (a, now) => new Tmp102Sim(a, now), driver: (b, a, c) => new Tmp102(b, a, c) },
  { chip: "mcp9808", address: 0x18, sim: (a, now) => new Mcp9808Sim(a, now), driver: (b, a, c) => new Mcp9808(b, a, c) },
  { chip: "bme280", address: 0x76, sim: (a, now) => new Bme280Sim(a, now), driver: (b, a, c) => new Bme280(b, a, c) },
];

/** Records what the driver reads from its emulator (init + one reading). */
async function recordPeriodic(c: PeriodicCase): Promise<{ cells: Map<number, number>; reading: number[] }> {
  const simClock = new VirtualClock(T0);
  const simBus = new SimI2cBus();
  simBus.attach(c.sim(c.address, simClock.now)).setSignal(climate);
  const rec = new RegisterRecorder(simBus);
  const onSim = c.driver(rec, c.address, simClock);
  await onSim.init();
  return { cells: rec.cells, reading: await onSim.read() };
}

/** Runs init + read on the emulator through the recorder, then on the kernel bus; returns both readings. */
async function periodicBoth(c: PeriodicCase): Promise<{ emulated: number[]; kernel: number[] }> {
  const { cells, reading: emulated } = await recordPeriodic(c);
  await loadStub(kernelBus, c.address, cells);
  const kernelClock = new VirtualClock(T0);
  const onKernel = c.driver(kernelBus, c.address, kernelClock);
  await onKernel.init();
  const kernel = await onKernel.read();
  return { emulated, kernel };
}

describe.each(periodic)("$chip on /dev/i2c-N (i2c-stub)", (c) => {
  it("is one of the stub's addresses", () => {
    expect(stubAddresses()).toContain(c.address);
  });

  it("reads the same values through the kernel as from its emulator", async () => {
    const { emulated, kernel } = await periodicBoth(c);
    expect(emulated.length).toBeGreaterThan(0);
    expect(kernel).toEqual(emulated);
  });

  it("an address with no device is a transient nack fault, as on hardware, never a crash", async () => {
    const d = c.driver(kernelBus, 0x2a, new VirtualClock(T0));
    const err = await d.init().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DriverError);
    // On a Raspberry Pi (i2c-bcm2835) an absent device answers EREMOTEIO; i2c-stub answers ENODEV. Both are a nack.
    expect(err).toMatchObject({ kind: "nack", transient: true });
  });
});

interface AccelCase {
  chip: string;
  address: number;
  sim: (address: number, now: () => number) => SimDevice & { setSignal(s: VibrationSignal): void };
  driver: (bus: SmbusPort, address: number, clock: VirtualClock) => AccelDriver;
  /** A constant acceleration: a static register file can only hold one sample. */
  g: [number, number, number];
}

const accel: AccelCase[] = [
  { chip: "adxl345", address: 0x53, g: [0.25, -0.5, 1], sim: (a, now) => new Adxl345Sim(a, now), driver: (b, a, c) => new Adxl345(b, a, c, { rateHz: 800, rangeG: 16 }) },
  { chip: "lis3dh", address: 0x19, g: [0.25, -0.5, 1], sim: (a, now) => new Lis3dhSim(a, now), driver: (b, a, c) => new Lis3dh(b, a, c, { rateHz: 400, rangeG: 4 }) },
  // FIFO_R_W (0x74) is followed by WHO_AM_I (0x75): i2c-stub has no FIFO, so a burst from 0x74 reads 0x75 as the
  // second FIFO byte (X low). An X of 104/16384 g makes that byte 0x68, the MPU-6050's WHO_AM_I.
  { chip: "mpu6050", address: 0x68, g: [104 / 16384, -0.5, 1], sim: (a, now) => new Mpu6050Sim(a, now), driver: (b, a, c) => new Mpu6050(b, a, c, { rateHz: 500, rangeG: 2 }) },
];

/** Records what the accelerometer driver reads from its emulator (init + one FIFO drain). */
async function recordAccel(c: AccelCase): Promise<{ cells: Map<number, number>; block: SampleBlock | null }> {
  const simClock = new VirtualClock(T0);
  const simBus = new SimI2cBus();
  simBus.attach(c.sim(c.address, simClock.now)).setSignal(() => c.g);
  const rec = new RegisterRecorder(simBus);
  const onSim = c.driver(rec, c.address, simClock);
  await onSim.init();
  simClock.advance(20); // a few samples at the configured rate, well below a full FIFO
  const block = await onSim.readBlock();
  return { cells: rec.cells, block };
}

describe.each(accel)("$chip on /dev/i2c-N (i2c-stub)", (c) => {
  it("is one of the stub's addresses", () => {
    expect(stubAddresses()).toContain(c.address);
  });

  it("drains a FIFO block with the same counts through the kernel as from its emulator", async () => {
    const { cells, block: emulated } = await recordAccel(c);
    expect(emulated).not.toBeNull();
    expect(emulated!.counts[0].length).toBeGreaterThan(0);

    await loadStub(kernelBus, c.address, cells);
    const kernelClock = new VirtualClock(T0);
    const onKernel = c.driver(kernelBus, c.address, kernelClock);
    await onKernel.init();
    kernelClock.advance(20);
    const kernel = await onKernel.readBlock();
    expect(kernel).not.toBeNull();
    expect(kernel!.rateHz).toBe(emulated!.rateHz);
    expect(kernel!.counts.map((a) => [...a])).toEqual(emulated!.counts.map((a) => [...a]));
    expect(kernel!.gapBefore).toEqual(emulated!.gapBefore);
  });
});

describe("edge-agent probe on the kernel bus", () => {
  it("finds every stub chip by its ID registers and shows a live reading from each", async () => {
    for (const c of periodic) await loadStub(kernelBus, c.address, (await recordPeriodic(c)).cells);
    for (const c of accel) await loadStub(kernelBus, c.address, (await recordAccel(c)).cells);

    const { code, stdout, stderr } = await runCli(["probe", "--bus", String(stubBusNumber()), "--json"]);
    expect({ code, stderr }).toMatchObject({ code: 0 });
    const report = JSON.parse(stdout) as { bus: string; devices: Array<{ address: string; chip?: string; reading?: Record<string, number>; error?: string }> };
    expect(report.bus).toBe(`/dev/i2c-${stubBusNumber()}`);
    const byAddress = Object.fromEntries(report.devices.map((d) => [d.address, d]));
    const hex = (a: number) => `0x${a.toString(16).padStart(2, "0")}`;
    expect(Object.keys(byAddress).sort()).toEqual(stubAddresses().map(hex).sort());
    for (const c of [...periodic, ...accel]) {
      expect(byAddress[hex(c.address)], c.chip).toMatchObject({ chip: c.chip });
      expect(byAddress[hex(c.address)].error, c.chip).toBeUndefined();
    }
    for (const c of periodic) expect(byAddress[hex(c.address)].reading?.temperature, c.chip).toBeCloseTo(-18.25, 1);
  });
});

/**
 * The CLI's own entry point, in this process: a child process through tsx would spend most of a minute under TCG
 * compiling the CLI again, for the same code on the same bus.
 */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  try {
    const code = await main(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
