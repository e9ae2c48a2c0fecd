import { afterEach, describe, expect, it } from "vitest";
import { ModbusError } from "../../drivers/serial/rtu-master.js";
import { t35Ms } from "../../drivers/serial/rtu-timing.js";
import { LINE, simBus, table } from "./helpers.js";

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function bus(opts?: { retries?: number; timeoutMs?: number }) {
  const b = await simBus(opts);
  cleanup.push(b.close);
  return b;
}

describe("Modbus RTU master against the slave emulator on the mock binding", () => {
  it("reads holding and input registers", async () => {
    const b = await bus();
    b.sim.addSlave(7, table(7));
    expect(await b.master.readRegisters(7, "holding", 2, 3)).toEqual([27, 37, 47]);
    expect(await b.master.readRegisters(7, "input", 0, 1)).toEqual([7]);
    expect(b.faults).toEqual([]);
  });

  it("two slaves on one bus: concurrent requests are serialised, each reply goes to its caller", async () => {
    const b = await bus();
    b.sim.addSlave(1, table(1));
    b.sim.addSlave(2, table(2));
    const reads = Array.from({ length: 20 }, (_, i) => b.master.readRegisters(1 + (i % 2), "holding", i, 1));
    const got = await Promise.all(reads);
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => [i * 10 + 1 + (i % 2)]));
    // The emulator saw 20 whole requests, never two interleaved on the wire.
    expect(b.sim.wire.length).toBe(20);
    expect(b.sim.wire.map((w) => w[0])).toEqual(Array.from({ length: 20 }, (_, i) => 1 + (i % 2)));
    expect(b.sim.slave(1)!.requests + b.sim.slave(2)!.requests).toBe(20);
  });

  it("keeps the inter-frame silence: every request starts at least t3.5 after the last byte on the line", async () => {
    const b = await bus();
    b.sim.addSlave(1, table(1));
    b.sim.addSlave(2, table(2));
    await Promise.all(Array.from({ length: 10 }, (_, i) => b.master.readRegisters(1 + (i % 2), "holding", 0, 1)));
    const t35 = t35Ms(LINE);
    let lastReply: number | undefined;
    let checked = 0;
    for (const e of b.sim.timeline) {
      if (e.dir === "reply") lastReply = e.t;
      else if (lastReply !== undefined) {
        expect(e.t - lastReply).toBeGreaterThanOrEqual(t35);
        checked++;
      }
    }
    expect(checked).toBe(9);
  });

  it.each([
    ["crc", { kind: "crc" }, "crc"],
    ["silence", { kind: "silence" }, "timeout"],
    ["garbage", { kind: "garbage" }, "garbage"],
    ["wrong slave id", { kind: "wrong-id", id: 9 }, "id-mismatch"],
    ["partial frame", { kind: "partial" }, "partial"],
    ["busy exception", { kind: "exception", code: 6 }, "exception"],
  ] as const)("%s is counted and retried, and the retry succeeds", async (_n, fault, kind) => {
    const b = await bus();
    const slave = b.sim.addSlave(3, table(3));
    slave.faults.push(fault);
    expect(await b.master.readRegisters(3, "holding", 1, 2)).toEqual([13, 23]);
    expect(b.faults.map((f) => [f.slave, f.err.fault])).toEqual([[3, kind]]);
    expect(slave.requests).toBe(2);
  });

  it("line noise before a reply and a reply in two chunks are not faults", async () => {
    const b = await bus();
    const slave = b.sim.addSlave(4, table(4));
    slave.faults.push({ kind: "noise-then-reply" }, { kind: "split" });
    expect(await b.master.readRegisters(4, "holding", 0, 2)).toEqual([4, 14]);
    expect(await b.master.readRegisters(4, "holding", 0, 2)).toEqual([4, 14]);
    expect(b.faults).toEqual([]);
  });

  it("after the retries are spent, the last fault is thrown; the bus keeps working", async () => {
    const b = await bus({ retries: 1 });
    const slave = b.sim.addSlave(5, table(5));
    slave.faults.push({ kind: "crc" }, { kind: "garbage" });
    const err = await b.master.readRegisters(5, "holding", 0, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModbusError);
    expect((err as ModbusError).fault).toBe("garbage");
    expect((err as ModbusError).kind).toBe("protocol");
    expect(b.faults.map((f) => f.err.fault)).toEqual(["crc", "garbage"]);
    expect(await b.master.readRegisters(5, "holding", 0, 1)).toEqual([5]);
  });

  it("an illegal-address exception is a configuration error: reported once with its name, not retried", async () => {
    const b = await bus();
    b.sim.addSlave(6, table(6));
    const err = (await b.master.readRegisters(6, "holding", 60, 1).catch((e: unknown) => e)) as ModbusError;
    expect(err.message).toMatch(/exception 0x02 \(illegal data address\)/);
    expect(err.transient).toBe(false);
    expect(b.sim.slave(6)!.requests).toBe(1);
  });

  it("an absent slave times out on every attempt", async () => {
    const b = await bus({ retries: 2, timeoutMs: 30 });
    const err = (await b.master.readRegisters(99, "holding", 0, 1).catch((e: unknown) => e)) as ModbusError;
    expect(err.fault).toBe("timeout");
    expect(b.faults.map((f) => f.err.fault)).toEqual(["timeout", "timeout", "timeout"]);
  });
});
