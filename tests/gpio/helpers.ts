// Test helpers: a RuntimeContext with a controllable clock, and fake libgpiod tools written as small scripts.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../agent/log.js";
import { RoomState } from "../../agent/pipeline/room-state.js";
import type { RuntimeContext } from "../../agent/runtime/context.js";
import type { AgentConfig } from "../../config/schema/index.js";
import type { PipelineRecord } from "../../agent/model.js";

const tempDirs: string[] = [];

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}

/** Removes the fake sysfs trees and tool directories made so far (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function testContext(now: () => number = Date.now): RuntimeContext {
  return {
    config: {} as AgentConfig,
    log: silentLogger(),
    now,
    rooms: new RoomState(),
    gatewayId: "test",
    dataDir: tmpdir(),
    shared: new Map(),
    onClose: () => {},
  };
}

/** Collects records and lets a test await the n-th one. */
export class Collector {
  readonly records: PipelineRecord[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  readonly emit = (r: PipelineRecord) => {
    this.records.push(r);
    this.waiters = this.waiters.filter((w) => (this.records.length >= w.n ? (w.resolve(), false) : true));
  };
  waitFor(n: number): Promise<void> {
    if (this.records.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
  events(): Array<{ type: string; t: number; data: Record<string, unknown> }> {
    return this.records.filter((r) => r.kind === "event").map((r) => ({ type: (r as { type: string }).type, t: (r as { t: number }).t, data: (r as { data: Record<string, unknown> }).data }));
  }
}

/** A fake /sys/class/gpio tree: one directory per chip, named by base, with base/label/ngpio and a device link. */
export function fakeSysfs(chips: Array<{ base: number; label: string; ngpio: number; index?: number }>): string {
  const top = tempDir("sysfs-");
  const root = join(top, "class-gpio");
  const devices = join(top, "devices");
  mkdirSync(root);
  mkdirSync(devices, { recursive: true });
  for (const c of chips) {
    const dir = join(root, `gpiochip${c.base}`);
    mkdirSync(dir);
    writeFileSync(join(dir, "base"), `${c.base}\n`);
    writeFileSync(join(dir, "label"), `${c.label}\n`);
    writeFileSync(join(dir, "ngpio"), `${c.ngpio}\n`);
    if (c.index !== undefined) {
      const dev = join(devices, `gpiochip${c.index}`);
      mkdirSync(dev, { recursive: true });
      symlinkSync(dev, join(dir, "device"));
    }
  }
  writeFileSync(join(root, "export"), "");
  return root;
}

export interface FakeToolsOptions {
  major: 1 | 2;
  /** gpiodetect output lines. */
  detect: string;
  /** Physical level gpioget reports. */
  level: 0 | 1;
  /** Levels gpiomon reports as edges, one per line, stamped with the current CLOCK_MONOTONIC time. */
  edges: Array<0 | 1>;
  /** Lines gpiomon prints before its edges (to test bad output). */
  raw?: string[];
  /** gpiomon exits after its edges instead of waiting to be killed. */
  exitAfterEdges?: boolean;
}

/**
 * Writes fake gpiodetect/gpioget/gpiomon scripts. They check the argument syntax of the libgpiod generation they
 * pretend to be and fail like the real tool on anything else, and they log each invocation to `calls.log`.
 */
export function fakeGpiodTools(o: FakeToolsOptions): { dir: string; tools: { gpiomon: string; gpioget: string; gpiodetect: string } } {
  const dir = tempDir("fake-gpiod-");
  const common = `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(join(dir, "calls.log"))}, JSON.stringify([require("path").basename(process.argv[1]), ...args]) + "\\n");
const major = ${o.major};
if (args[0] === "--version") { console.log(process.argv[1].split("/").pop() + " (libgpiod) v" + (major === 1 ? "1.6.3" : "2.1.2")); process.exit(0); }
function die(m) { console.error(m); process.exit(1); }
`;
  const write = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, common + body);
    chmodSync(p, 0o755);
    return p;
  };
  const gpiodetect = write("gpiodetect", `process.stdout.write(${JSON.stringify(o.detect)});\n`);
  const gpioget = write(
    "gpioget",
    `const level = ${o.level};
if (major === 1) { if (args.length !== 2 || !/^gpiochip\\d+$/.test(args[0])) die("usage: gpioget <chip> <offset>"); console.log(String(level)); }
else { if (args.length !== 3 || args[0] !== "-c") die("usage: gpioget -c <chip> <line>"); console.log('"' + args[2] + '"=' + (level ? "active" : "inactive")); }
`,
  );
  const gpiomon = write(
    "gpiomon",
    `const edges = ${JSON.stringify(o.edges)};
const ok1 = args.length === 5 && args[0] === "-b" && args[1] === "-F" && args[2] === "%e %s %n" && /^gpiochip\\d+$/.test(args[3]);
const ok2 = args.length === 7 && args[0] === "-c" && args[2] === "-e" && args[3] === "both" && args[4] === "-F" && args[5] === "%e %S";
if (major === 1 ? !ok1 : !ok2) die("gpiomon: bad arguments for libgpiod " + major + ".x: " + args.join(" "));
for (const line of ${JSON.stringify(o.raw ?? [])}) console.log(line);
for (const level of edges) {
  const ns = process.hrtime.bigint();
  const s = ns / 1000000000n, frac = String(ns % 1000000000n).padStart(9, "0");
  if (major === 1) console.log((level ? "1" : "0") + " " + s + " " + frac);
  else console.log((level ? "1" : "2") + " " + s + "." + frac);
}
${o.exitAfterEdges ? "process.exit(3);" : "setInterval(() => {}, 1000);"}
`,
  );
  return { dir, tools: { gpiomon, gpioget, gpiodetect } };
}
