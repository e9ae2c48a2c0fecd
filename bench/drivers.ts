// npm run bench:drivers: driver CPU time per sample against the emulated bus.
//  - FIFO accelerometers at their top I2C rates (ADXL345 at 3200 Hz, LIS3DH at 1344 Hz, MPU-6050 at 1 kHz);
//  - 100 temperature sensors read once per (virtual) second, spread over emulated buses of 8 chips.
// Time is virtual (conversions complete at once), so what is measured is CPU, not waiting. The emulator's own cost
// is part of every figure; its signal generation alone is measured as a peer so the driver's share can be judged.
// Figures are CPU microseconds per sample (process.cpuUsage, user + system) and ratios within this one run.
// A second table runs the accelerometers on a modelled bus (clock cycles at 100/400 kHz plus a per-transfer
// overhead, BUS_OVERHEAD_US, default 50 us) in emulated time: the rate each can really sustain over I2C.
import { createAccelDriver, createPeriodicDriver, PERIODIC_CHIPS, chipSpec, type AccelChip, type PeriodicChip } from "../drivers/i2c/chips.js";
import { VirtualClock } from "../drivers/i2c/clock.js";
import { serializeBus } from "../drivers/i2c/lock.js";
import { motorVibration } from "../drivers/i2c/signals.js";
import { SimI2cBus } from "../drivers/i2c/sim-bus.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const OVERHEAD_US = Number(process.env.BUS_OVERHEAD_US ?? 50);

function cpuUs(fn: () => Promise<number>): Promise<{ us: number; samples: number }> {
  const start = process.cpuUsage();
  return fn().then((samples) => {
    const d = process.cpuUsage(start);
    return { us: d.user + d.system, samples };
  });
}

async function accelRun(chip: AccelChip, rateHz: number): Promise<number> {
  const clock = new VirtualClock();
  const sim = new SimI2cBus();
  const address = chipSpec(chip).addresses[0];
  sim.attach(chipSpec(chip).emulator(address, clock.now));
  const d = createAccelDriver(chip, serializeBus(sim), address, clock, { rateHz, rangeG: 16 });
  await d.init();
  // Drain at half a FIFO, as the source does.
  const stepMs = Math.max(1, Math.floor((d.fifoSamples / 2) * (1000 / d.rateHz)));
  let samples = 0;
  for (let t = 0; t < SECONDS * 1000; t += stepMs) {
    clock.advance(stepMs);
    const b = await d.readBlock();
    if (b?.gapBefore) throw new Error(`${chip}: unexpected overflow in the benchmark`);
    samples += b?.counts[0].length ?? 0;
  }
  return samples;
}

async function signalOnly(rateHz: number): Promise<number> {
  const signal = motorVibration();
  let sink = 0;
  const n = SECONDS * rateHz;
  for (let i = 0; i < n; i++) sink += signal(i / rateHz)[0];
  if (Number.isNaN(sink)) throw new Error("unreachable");
  return n;
}

async function temperatureRun(chips: readonly PeriodicChip[], sensors: number): Promise<number> {
  const clock = new VirtualClock();
  const drivers = [];
  let bus: SimI2cBus | undefined;
  let onBus = 0;
  for (let i = 0; i < sensors; i++) {
    const chip = chips[i % chips.length];
    if (!bus || onBus === 8) {
      bus = new SimI2cBus();
      onBus = 0;
    }
    const spec = chipSpec(chip);
    const address = spec.addresses.find((a) => !bus!.device(a)) ?? (() => { bus = new SimI2cBus(); onBus = 0; return spec.addresses[0]; })();
    bus.attach(spec.emulator(address, clock.now));
    onBus++;
    const d = createPeriodicDriver(chip, serializeBus(bus), address, clock);
    await d.init();
    drivers.push(d);
  }
  let samples = 0;
  for (let s = 0; s < SECONDS; s++) {
    clock.advance(1000);
    const results = await Promise.all(drivers.map((d) => d.read()));
    samples += results.length;
  }
  return samples;
}

/** Drains every half FIFO on a bus whose transfers take modelled time; returns the achieved rate and bus share. */
async function modelledBus(chip: AccelChip, rateHz: number, bitRateHz: number) {
  const clock = new VirtualClock(0);
  const sim = new SimI2cBus({ bitRateHz, overheadUs: OVERHEAD_US, advance: (ms) => clock.advance(ms) });
  const address = chipSpec(chip).addresses[0];
  sim.attach(chipSpec(chip).emulator(address, clock.now));
  const d = createAccelDriver(chip, sim, address, clock, { rateHz, rangeG: 16 });
  await d.init();
  const t0 = clock.now();
  const poll = Math.max(1, Math.floor((d.fifoSamples / 2) * (1000 / d.rateHz)));
  while (clock.now() - t0 < SECONDS * 1000) {
    const due = clock.now() + poll;
    await d.readBlock();
    if (clock.now() < due) clock.advance(due - clock.now());
  }
  return { odr: d.rateHz, stats: d.stats(), share: sim.busTimeMs / (clock.now() - t0) };
}

const rows: { what: string; us: number; samples: number }[] = [];
const add = (what: string, r: { us: number; samples: number }) => rows.push({ what, ...r });

// Warm-up so that JIT compilation is not charged to the first case.
await accelRun("adxl345", 3200);
await temperatureRun(PERIODIC_CHIPS, 20);

add("signal generation only (motor, 3200 Hz)", await cpuUs(() => signalOnly(3200)));
for (const [chip, rate] of [["adxl345", 3200], ["adxl345", 800], ["lis3dh", 1344], ["mpu6050", 1000]] as const) {
  add(`${chip} FIFO at ${rate} Hz`, await cpuUs(() => accelRun(chip, rate)));
}
add("100 temperature sensors at 1 Hz (mixed)", await cpuUs(() => temperatureRun(PERIODIC_CHIPS, 100)));
for (const chip of PERIODIC_CHIPS) add(`  ${chip} x100 at 1 Hz`, await cpuUs(() => temperatureRun([chip], 100)));

const base = rows.find((r) => r.what.startsWith("adxl345 FIFO at 3200"))!;
const perSample = (r: { us: number; samples: number }) => r.us / r.samples;
console.log(`bench:drivers  (${SECONDS} s of virtual time per case, node ${process.version}, ${process.arch})`);
console.log(`${"case".padEnd(42)}${"samples".padStart(9)}${"CPU us/sample".padStart(15)}${"vs adxl345@3200".padStart(17)}`);
for (const r of rows) {
  console.log(`${r.what.padEnd(42)}${String(r.samples).padStart(9)}${perSample(r).toFixed(2).padStart(15)}${(perSample(r) / perSample(base)).toFixed(2).padStart(17)}`);
}
const adxl = perSample(base);
const temp = perSample(rows.find((r) => r.what.startsWith("100 temperature"))!);
console.log("");
console.log(`ADXL345 at 3200 Hz: ${((adxl * 3200) / 1e4).toFixed(2)} % of one core on this machine (driver + emulator).`);
console.log(`100 temperature sensors at 1 Hz: ${((temp * 100) / 1e4).toFixed(3)} % of one core (driver + emulator).`);

console.log("");
console.log(`Modelled I2C bus (emulated time, ${OVERHEAD_US} us overhead per transfer, drained every half FIFO):`);
console.log(`${"chip @ ODR".padEnd(22)}${"bus".padStart(9)}${"achieved Hz".padStart(13)}${"overflows".padStart(11)}${"bus busy".padStart(10)}`);
for (const [chip, rate] of [["adxl345", 800], ["adxl345", 1600], ["adxl345", 3200], ["lis3dh", 1344], ["mpu6050", 1000]] as const) {
  for (const khz of [100, 400]) {
    const r = await modelledBus(chip, rate, khz * 1000);
    console.log(
      `${`${chip} @ ${r.odr} Hz`.padEnd(22)}${`${khz} kHz`.padStart(9)}${r.stats.achievedHz.toFixed(0).padStart(13)}${String(r.stats.overflows).padStart(11)}${`${(r.share * 100).toFixed(0)} %`.padStart(10)}`,
    );
  }
}
