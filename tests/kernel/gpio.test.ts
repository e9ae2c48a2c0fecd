// Both GPIO backends against the kernel's gpio-sim: line resolution on a chip whose base is not 0, levels,
// interrupt-driven edges, and the door source's events, all through the real sysfs / character-device paths.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openGpioLine } from "../../drivers/gpio/open.js";
import type { GpioEdge, GpioLine } from "../../drivers/gpio/line.js";
import { readSysfsChips, resolveLine } from "../../drivers/gpio/resolve.js";
import { createDoorSource } from "../../agent/sources/door.js";
import { streamConfig } from "../../config/schema/index.js";
import { createSimChip, type SimChip } from "./support/gpio-sim.js";
import { EventCollector, guestContext, untilClockPasses } from "./support/context.js";

const LABEL = "edge-door-sim";
const DOOR = 5;
// The door config's defaults (activeLow, openLevel 0) make a high line an open door.
const OPEN = "pull-up";
const SHUT = "pull-down";
let decoy: SimChip;
let chip: SimChip;

beforeAll(() => {
  // A first chip takes a base of its own, so ours cannot be at 0 and a base mix-up shows as the wrong line.
  decoy = createSimChip("decoy", "edge-decoy-sim", 16);
  chip = createSimChip("door", LABEL, 8);
  chip.setPull(DOOR, SHUT);
});

afterAll(() => {
  chip?.remove();
  decoy?.remove();
});

describe("gpio-sim as the kernel presents it", () => {
  it("has a dynamic, non-zero base, and resolution by label + offset gives base + offset", () => {
    expect(chip.base).toBeGreaterThan(0);
    expect(chip.base).not.toBe(decoy.base);
    const resolved = resolveLine({ chip: LABEL, offset: DOOR }, readSysfsChips());
    expect(resolved.chip.label).toBe(LABEL);
    expect(resolved.sysfsNumber).toBe(chip.base + DOOR);
  });
});

const backends = ["sysfs", "chardev"] as const;

describe.each(backends)("%s backend on gpio-sim", (backend) => {
  async function open(): Promise<GpioLine> {
    return openGpioLine({ chip: LABEL, offset: DOOR }, { backend, now: Date.now });
  }

  it("opens the line by chip label and offset, and reads the level the simulator pulls it to", async () => {
    chip.setPull(DOOR, "pull-up");
    const line = await open();
    try {
      expect(line.description).toContain(backend === "sysfs" ? `gpio${chip.base + DOOR}` : `${chip.chipName}:${DOOR}`);
      expect(await line.read()).toBe(1);
    } finally {
      await line.close();
    }
    chip.setPull(DOOR, "pull-down");
    const again = await open();
    try {
      expect(await again.read()).toBe(0);
    } finally {
      await again.close();
      chip.setPull(DOOR, "pull-up");
    }
  });

  it("reports each edge driven from the simulator's pull, in order, with the level after it", async () => {
    chip.setPull(DOOR, "pull-up");
    const line = await open();
    const edges: GpioEdge[] = [];
    const errors: Error[] = [];
    let notify = () => {};
    line.watch(
      (e) => {
        edges.push(e);
        notify();
      },
      (err) => errors.push(err),
    );
    const nextEdge = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`edge ${n} never came; got ${JSON.stringify(edges)}`)), 30_000);
        notify = () => edges.length >= n && (clearTimeout(timer), resolve());
        notify();
      });
    try {
      if (backend === "chardev") await untilMonitorRunning(chip.chipName);
      const expected: Array<0 | 1> = [0, 1, 0, 1];
      for (let i = 0; i < expected.length; i++) {
        chip.setPull(DOOR, expected[i] ? "pull-up" : "pull-down");
        await nextEdge(i + 1); // one at a time: sysfs polling coalesces edges that come faster than it is read
      }
      expect(edges.map((e) => e.level)).toEqual(expected);
      for (let i = 1; i < edges.length; i++) expect(edges[i].t).toBeGreaterThanOrEqual(edges[i - 1].t);
      expect(errors).toEqual([]);
    } finally {
      await line.close();
    }
  });

  it("a line that does not exist on the chip is refused with a clear message", async () => {
    await expect(openGpioLine({ chip: LABEL, offset: 8 }, { backend, now: Date.now })).rejects.toThrow(/offset 8 is outside/);
    await expect(openGpioLine({ chip: "no-such-chip", offset: 0 }, { backend, now: Date.now })).rejects.toThrow(/no GPIO chip "no-such-chip"/);
  });

  it("the door source turns pulls into exactly the expected door events, bounce included", async () => {
    chip.setPull(DOOR, SHUT);
    // Longer than the agent's 50 ms default: under TCG on a loaded 2-core host, gpiomon's lines can reach node
    // hundreds of ms after the kernel stamped the edge, and a lockout that runs out before the last bounce edge
    // is delivered turns the late edge into a spurious settle-time correction (see docs/kernel-tests.md).
    const lockoutMs = 1500;
    const stream = streamConfig.parse({
      name: "coldroom-1/door",
      group: "coldroom-1",
      sensor: { type: "gpio-door", line: { chip: LABEL, offset: DOOR }, backend, lockoutMs },
    });
    const ctx = guestContext();
    const source = createDoorSource(stream, ctx);
    const out = new EventCollector();
    await source.start(out.emit);
    try {
      expect(source.status()).toMatchObject({ state: "online" });
      expect(out.events).toEqual([]); // shut at start: nothing to report
      if (backend === "chardev") await untilMonitorRunning(chip.chipName);

      chip.setPull(DOOR, OPEN);
      await out.waitFor(1);
      await untilClockPasses(out.events[0].t + lockoutMs);
      chip.setPull(DOOR, SHUT);
      await out.waitFor(2);
      await untilClockPasses(out.events[1].t + lockoutMs);

      // Contact bounce on opening: five edges in a burst, ending open. One door.open, no correction after it.
      for (const pull of [OPEN, SHUT, OPEN, SHUT, OPEN] as const) chip.setPull(DOOR, pull);
      await out.waitFor(3);
      const burstT = out.events[2].t;
      await untilClockPasses(burstT + lockoutMs * 2);
      chip.setPull(DOOR, SHUT);
      await out.waitFor(4);

      // Nothing "confirmed": a correction would mean the leading-edge report had been wrong.
      expect(out.events.map((e) => ({ type: e.type, data: e.data }))).toEqual(
        ["door.open", "door.close", "door.open", "door.close"].map((type) => ({ type, data: {} })),
      );
      expect(source.status().faults).toEqual({});
    } finally {
      await source.stop();
    }
  });
});

/** gpiomon requests the line asynchronously: wait (bounded) until the kernel shows the line as used. */
async function untilMonitorRunning(chipName: string): Promise<void> {
  const { execFileSync } = await import("node:child_process");
  for (let i = 0; i < 3000; i++) {
    const info = execFileSync("gpioinfo", [chipName], { encoding: "utf8" });
    const row = info.split("\n").find((l) => new RegExp(`^\\s*line\\s+${DOOR}:`).test(l));
    if (row && /\[used\]/.test(row)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gpiomon never requested ${chipName} line ${DOOR}`);
}
