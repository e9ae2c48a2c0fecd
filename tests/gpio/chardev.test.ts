import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { parseGpiogetOutput, parseGpiomonLine } from "../../drivers/gpio/chardev.js";
import type { GpioEdge } from "../../drivers/gpio/line.js";
import { openGpioLine } from "../../drivers/gpio/open.js";
import { createDoorSource } from "../../agent/sources/door.js";
import { streamConfig } from "../../config/schema/index.js";
import { Collector, fakeGpiodTools, fakeSysfs, removeTempDirs, testContext } from "./helpers.js";

afterAll(removeTempDirs);

const DETECT = "gpiochip0 [pinctrl-bcm2711] (58 lines)\ngpiochip1 [raspberrypi-exp-gpio] (8 lines)\n";

function calls(dir: string): string[][] {
  return readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

function collectEdges(n: number) {
  const edges: GpioEdge[] = [];
  const errors: Error[] = [];
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  return {
    edges,
    errors,
    all,
    onEdge: (e: GpioEdge) => {
      edges.push(e);
      if (edges.length === n) done();
    },
    onError: (e: Error) => errors.push(e),
  };
}

describe("gpiomon / gpioget output parsing", () => {
  it("reads both libgpiod generations", () => {
    expect(parseGpiomonLine(1, "1 1234 000000500")).toEqual({ level: 1, ns: 1234_000_000_500n });
    expect(parseGpiomonLine(1, "0 5 7")).toEqual({ level: 0, ns: 5_000_000_007n });
    expect(parseGpiomonLine(2, "2 1234.5")).toEqual({ level: 0, ns: 1234_500_000_000n });
    expect(parseGpiomonLine(2, "1 77.000000001")).toEqual({ level: 1, ns: 77_000_000_001n });
    expect(parseGpiomonLine(2, "0 1.0")).toBeNull();
    expect(parseGpiomonLine(1, "garbage")).toBeNull();
    expect(parseGpiogetOutput("1\n")).toBe(1);
    expect(parseGpiogetOutput('"17"=inactive\n')).toBe(0);
    expect(parseGpiogetOutput("17=active")).toBe(1);
    expect(() => parseGpiogetOutput("??")).toThrow(/unexpected gpioget output/);
  });
});

describe.each([1, 2] as const)("character-device backend with fake libgpiod %i.x tools", (major) => {
  it("resolves BCM 17 via gpiodetect, reads the level, and turns gpiomon lines into stamped edges", async () => {
    const fake = fakeGpiodTools({ major, detect: DETECT, level: 1, edges: [0, 1, 0] });
    const before = Date.now();
    const line = await openGpioLine({ bcm: 17 }, { backend: "chardev", now: Date.now, tools: fake.tools });
    expect(await line.read()).toBe(1);
    const c = collectEdges(3);
    line.watch(c.onEdge, c.onError);
    await c.all;
    await line.close();
    expect(c.errors).toEqual([]);
    expect(c.edges.map((e) => e.level)).toEqual([0, 1, 0]);
    // Kernel (monotonic) timestamps map onto the agent clock: edges happened after the test began and are ordered.
    for (const e of c.edges) expect(e.t).toBeGreaterThanOrEqual(before);
    expect(c.edges[1].t).toBeGreaterThanOrEqual(c.edges[0].t);
    const mon = calls(fake.dir).find((a) => a[0] === "gpiomon" && a[1] !== "--version")!;
    expect(mon).toEqual(major === 1 ? ["gpiomon", "-b", "-F", "%e %s %n", "gpiochip0", "17"] : ["gpiomon", "-c", "gpiochip0", "-e", "both", "-F", "%e %S", "17"]);
  });

  it("a door on the chardev backend reports open and close from gpiomon edges", async () => {
    // Reed switch with pull-up: high = open (activeLow, openLevel 0 defaults).
    const fake = fakeGpiodTools({ major, detect: DETECT, level: 0, edges: [1, 0] });
    const stream = streamConfig.parse({ name: "room1/door", group: "room1", sensor: { type: "gpio-door", line: { pin: 11 }, backend: "chardev", lockoutMs: 0, gpiodTools: fake.tools } });
    const source = createDoorSource(stream, testContext());
    const out = new Collector();
    await source.start(out.emit);
    await out.waitFor(2);
    await source.stop();
    expect(out.events().map((e) => e.type)).toEqual(["door.open", "door.close"]);
    expect(source.status().faults).toEqual({});
  });

  it("unexpected gpiomon output is counted and logged once, and later edges still come through", async () => {
    const fake = fakeGpiodTools({ major, detect: DETECT, level: 0, raw: ["Monitoring line 17...", "what?", "9 9 9"], edges: [1] });
    const stream = streamConfig.parse({ name: "room1/door", sensor: { type: "gpio-door", line: { bcm: 17 }, backend: "chardev", lockoutMs: 0, gpiodTools: fake.tools } });
    const lines: string[] = [];
    const ctx = testContext();
    ctx.log = pino({ level: "warn" }, { write: (l: string) => void lines.push(l) });
    const source = createDoorSource(stream, ctx);
    const out = new Collector();
    await source.start(out.emit);
    await out.waitFor(1);
    await source.stop();
    expect(out.events().map((e) => e.type)).toEqual(["door.open"]);
    expect(source.status().faults).toEqual({ line: 3 });
    expect(lines.filter((l) => l.includes("unexpected gpiomon output")).length).toBe(1);
  });

  it("a gpiomon that dies is reported and restarted; the missed level change comes through as an edge", async () => {
    const fake = fakeGpiodTools({ major, detect: DETECT, level: 1, edges: [0], exitAfterEdges: true });
    const line = await openGpioLine({ chip: "pinctrl-bcm2711", offset: 4 }, { backend: "chardev", now: Date.now, tools: fake.tools });
    const edges: GpioEdge[] = [];
    const errors: Error[] = [];
    let done!: () => void;
    const twoErrors = new Promise<void>((r) => (done = r));
    line.watch(
      (e) => edges.push(e),
      (e) => {
        errors.push(e);
        if (errors.length === 2) done();
      },
    );
    await twoErrors;
    await line.close();
    expect(errors[0].message).toMatch(/gpiomon exited \(code 3\).*restarting/);
    // gpiomon reported 0; after its death gpioget says 1: the change is reported, then the new gpiomon reports 0.
    expect(edges.map((e) => e.level).slice(0, 3)).toEqual([0, 1, 0]);
    expect(calls(fake.dir).filter((a) => a[0] === "gpiomon" && a[1] !== "--version").length).toBeGreaterThanOrEqual(2);
  });
});

describe("backend choice", () => {
  it("auto falls back to the character device when the sysfs tree is missing", async () => {
    const fake = fakeGpiodTools({ major: 2, detect: DETECT, level: 0, edges: [] });
    const line = await openGpioLine({ bcm: 17 }, { backend: "auto", now: Date.now, sysfsRoot: "/nonexistent/gpio", tools: fake.tools });
    expect(line.description).toMatch(/gpiochip0:17 \(libgpiod 2.x tools\)/);
    await line.close();
  });

  it("auto prefers sysfs when the tree exists and the export works, with the base-adjusted number", async () => {
    const root = fakeSysfs([{ base: 512, label: "pinctrl-bcm2711", ngpio: 58, index: 0 }]);
    const opened: number[] = [];
    const line = await openGpioLine({ bcm: 17 }, {
      backend: "auto",
      now: Date.now,
      sysfsRoot: root,
      openSysfs: async (n) => {
        opened.push(n);
        return { description: `sysfs gpio${n}`, read: async () => 0, watch: () => {}, close: async () => {} };
      },
    });
    expect(opened).toEqual([529]);
    expect(line.description).toBe("sysfs gpio529");
  });

  it("when neither works, the error says what was tried and what to install", async () => {
    const root = fakeSysfs([{ base: 512, label: "pinctrl-bcm2711", ngpio: 58 }]);
    const err = await openGpioLine({ bcm: 17 }, {
      backend: "auto",
      now: Date.now,
      sysfsRoot: root,
      openSysfs: async () => {
        throw new Error("EINVAL: invalid argument, write");
      },
      tools: { gpiomon: "/nonexistent/gpiomon", gpioget: "/nonexistent/gpioget", gpiodetect: "/nonexistent/gpiodetect" },
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toMatch(/sysfs: export of gpio529 \(pinctrl-bcm2711 offset 17\) failed: EINVAL/);
    expect(msg).toMatch(/character device: \/nonexistent\/gpiodetect failed/);
    expect(msg).toMatch(/apt install gpiod/);
  });

  it("a door source whose line cannot be opened goes offline with that message instead of throwing", async () => {
    const stream = streamConfig.parse({
      name: "room1/door",
      sensor: { type: "gpio-door", line: { bcm: 17 }, backend: "chardev", gpiodTools: { gpiomon: "/nonexistent/a", gpioget: "/nonexistent/b", gpiodetect: "/nonexistent/c" } },
    });
    const source = createDoorSource(stream, testContext());
    await source.start(() => {});
    const st = source.status();
    await source.stop();
    expect(st.state).toBe("offline");
    expect(st.detail).toMatch(/Tried:.*character device/s);
    expect(st.faults.open).toBe(1);
  });
});
