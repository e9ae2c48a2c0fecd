import { describe, expect, it } from "vitest";
import { createAccelDriver, createPeriodicDriver, PERIODIC_CHIPS } from "../../drivers/i2c/chips.js";
import { VirtualClock } from "../../drivers/i2c/clock.js";
import { createDemoBus, DEMO_CHIPS } from "../../drivers/i2c/demo-bus.js";
import { BusLock, serializeBus } from "../../drivers/i2c/lock.js";
import type { I2cBus } from "../../drivers/i2c/port.js";
import { constantClimate } from "../../drivers/i2c/signals.js";
import type { Sht3xSim } from "../../drivers/i2c/sht3x.sim.js";
import type { SensirionSim } from "../../drivers/i2c/sensirion.sim.js";
import type { SimI2cBus } from "../../drivers/i2c/sim-bus.js";

/** Wraps a bus so each transfer takes a turn of the event loop, and records how many were in flight at once. */
function instrument(bus: I2cBus, counter: { now: number; max: number }): I2cBus {
  const slow =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      counter.now++;
      counter.max = Math.max(counter.max, counter.now);
      await new Promise<void>((r) => setImmediate(r));
      try {
        return await fn(...a);
      } finally {
        counter.now--;
      }
    };
  return {
    readByte: slow(bus.readByte.bind(bus)),
    writeByte: slow(bus.writeByte.bind(bus)),
    readWord: slow(bus.readWord.bind(bus)),
    writeWord: slow(bus.writeWord.bind(bus)),
    readI2cBlock: slow(bus.readI2cBlock.bind(bus)),
    i2cRead: slow(bus.i2cRead.bind(bus)),
    i2cWrite: slow(bus.i2cWrite.bind(bus)),
    close: () => bus.close(),
  };
}

const temperatureOf = (t: number) => constantClimate({ temperature: t, humidity: 50, pressure: 100_000 });

describe("several chips sharing one bus", () => {
  it("interleaved reads from every chip are serialized and each gets its own value", async () => {
    const clock = new VirtualClock();
    const sim = createDemoBus(clock.now);
    const counter = { now: 0, max: 0 };
    const bus = serializeBus(instrument(sim, counter));
    const periodic = DEMO_CHIPS.filter(([c]) => (PERIODIC_CHIPS as readonly string[]).includes(c)).map(([c, a], i) => {
      (sim.device(a) as unknown as { setSignal(s: unknown): void }).setSignal(temperatureOf(10 + i));
      return { want: 10 + i, d: createPeriodicDriver(c as (typeof PERIODIC_CHIPS)[number], bus, a, clock) };
    });
    const accel = createAccelDriver("adxl345", bus, 0x53, clock, { rateHz: 800, rangeG: 16 });
    await Promise.all([...periodic.map((p) => p.d.init()), accel.init()]);
    sim.logTransfers = true;
    clock.advance(20);
    const rounds = await Promise.all([
      ...periodic.map(async (p) => {
        const got: number[] = [];
        for (let i = 0; i < 3; i++) {
          const c = await p.d.read();
          got.push(c[0] * p.d.channels[0].scale + p.d.channels[0].offset);
        }
        return { p, got };
      }),
      accel.readBlock(),
    ]);
    for (const r of rounds.slice(0, periodic.length) as { p: (typeof periodic)[number]; got: number[] }[]) {
      for (const v of r.got) expect(v).toBeCloseTo(r.p.want, 1);
    }
    expect(counter.max).toBe(1);
    // The transfers of different chips really were interleaved, not run chip after chip.
    const order = sim.log.map((l) => l.addr);
    const switches = order.filter((a, i) => i > 0 && a !== order[i - 1]).length;
    expect(switches).toBeGreaterThan(periodic.length);
  });

  it("one faulty chip does not disturb another on the same bus", async () => {
    const clock = new VirtualClock();
    const sim: SimI2cBus = createDemoBus(clock.now);
    const bus = serializeBus(sim);
    sim.device<Sht3xSim>(0x44)!.setSignal(temperatureOf(3));
    const good = createPeriodicDriver("sht3x", bus, 0x44, clock);
    const bad = createPeriodicDriver("sht4x", bus, 0x45, clock);
    await good.init();
    await bad.init();
    const badSim = sim.device<SensirionSim>(0x45)!;
    badSim.injectBitFlips(1000);
    // Each driver is used by one loop at a time (as the source does); the two loops run concurrently on the bus.
    const loop = async (d: typeof good) => {
      const out: PromiseSettledResult<number[]>[] = [];
      for (let i = 0; i < 3; i++) out.push(...(await Promise.allSettled([d.read()])));
      return out;
    };
    const [goodResults, badResults] = await Promise.all([loop(good), loop(bad)]);
    expect(goodResults.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(badResults.map((r) => (r.status === "rejected" ? (r.reason as { kind: string }).kind : "ok"))).toEqual(["crc", "crc", "crc"]);
    for (const r of goodResults) if (r.status === "fulfilled") expect(r.value[0] * (175 / 65535) - 45).toBeCloseTo(3, 2);
    badSim.disappear();
    await expect(bad.read()).rejects.toMatchObject({ kind: "nack" });
    await expect(good.read()).resolves.toHaveLength(2);
  });

  it("two buses run independently: each has its own lock", async () => {
    const clock = new VirtualClock();
    const counter = { now: 0, max: 0 };
    const a = serializeBus(instrument(createDemoBus(clock.now), counter));
    const b = serializeBus(instrument(createDemoBus(clock.now), counter));
    await Promise.all([a.readByte(0x76, 0xd0), b.readByte(0x76, 0xd0), a.readByte(0x53, 0x00), b.readByte(0x53, 0x00)]);
    expect(counter.max).toBe(2);
  });

  it("the lock keeps FIFO order and survives a failing transaction", async () => {
    const lock = new BusLock();
    const order: number[] = [];
    const results = await Promise.allSettled([
      lock.run(async () => void order.push(1)),
      lock.run(async () => {
        order.push(2);
        throw new Error("boom");
      }),
      lock.run(async () => void order.push(3)),
    ]);
    expect(order).toEqual([1, 2, 3]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });
});
