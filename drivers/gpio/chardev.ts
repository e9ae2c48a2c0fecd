// Character-device backend (/dev/gpiochipN) through the libgpiod command-line tools, run as a supervised child.
// Why the tools and not a libgpiod binding: the Node bindings are native addons built against one libgpiod major
// (1.x and 2.x have incompatible APIs), need a compiler on the gateway and crash the agent with the addon; the
// tools are packaged on every distribution (Debian/Raspberry Pi OS: `gpiod`), and a dying child is just restarted.
// Both tool generations are handled: 1.x `gpiomon [opts] <chip> <offset>`, 2.x `gpiomon [opts] -c <chip> <offset>`.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { NowMs } from "../types.js";
import type { GpioEdge, GpioLine, Level } from "./line.js";
import { parseGpiodetect, type ChipInfo } from "./resolve.js";

export interface GpiodTools {
  gpiomon: string;
  gpioget: string;
  gpiodetect: string;
}

export const DEFAULT_GPIOD_TOOLS: GpiodTools = { gpiomon: "gpiomon", gpioget: "gpioget", gpiodetect: "gpiodetect" };

export type LibgpiodMajor = 1 | 2;

const TOOL_TIMEOUT_MS = 5000;

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: TOOL_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(" ")}: ${String(stderr).trim() || err.message}`, { cause: err }));
      else resolve(String(stdout));
    });
  });
}

/** `gpiomon --version` prints e.g. "gpiomon (libgpiod) v1.6.3" or "gpiomon (libgpiod) v2.1.2". */
export async function detectLibgpiodMajor(tools: GpiodTools = DEFAULT_GPIOD_TOOLS): Promise<LibgpiodMajor> {
  const out = await run(tools.gpiomon, ["--version"]);
  const m = /v(\d+)\.\d+/.exec(out);
  if (!m) throw new Error(`cannot tell the libgpiod version from "${out.split("\n")[0]}"`);
  return Number(m[1]) >= 2 ? 2 : 1;
}

export async function listChardevChips(tools: GpiodTools = DEFAULT_GPIOD_TOOLS): Promise<ChipInfo[]> {
  return parseGpiodetect(await run(tools.gpiodetect, []));
}

export function gpiomonArgs(major: LibgpiodMajor, chip: string, offset: number): string[] {
  // 1.x: -b makes stdout line-buffered; %e is 1 rising / 0 falling, %s %n seconds and nanoseconds.
  if (major === 1) return ["-b", "-F", "%e %s %n", chip, String(offset)];
  // 2.x flushes after every poll; %e is 1 rising / 2 falling, %S seconds with nanoseconds after the dot.
  return ["-c", chip, "-e", "both", "-F", "%e %S", String(offset)];
}

export function gpiogetArgs(major: LibgpiodMajor, chip: string, offset: number): string[] {
  return major === 1 ? [chip, String(offset)] : ["-c", chip, String(offset)];
}

/** 1.x prints "1"; 2.x prints `"17"=active` (or "1" with --numeric). Active is the physical high level here. */
export function parseGpiogetOutput(out: string): Level {
  const s = out.trim();
  const named = /=(active|inactive)\b/.exec(s);
  if (named) return named[1] === "active" ? 1 : 0;
  if (s === "0" || s === "1") return Number(s) as Level;
  throw new Error(`unexpected gpioget output "${s}"`);
}

/** Parses one formatted gpiomon line into the level after the edge and the kernel timestamp (CLOCK_MONOTONIC, ns). */
export function parseGpiomonLine(major: LibgpiodMajor, line: string): { level: Level; ns: bigint } | null {
  const tok = line.trim().split(/\s+/);
  if (major === 1) {
    if (tok.length !== 3 || !/^[01]$/.test(tok[0]) || !/^\d+$/.test(tok[1]) || !/^\d+$/.test(tok[2])) return null;
    return { level: tok[0] === "1" ? 1 : 0, ns: BigInt(tok[1]) * 1_000_000_000n + BigInt(tok[2]) };
  }
  const ts = /^(\d+)(?:\.(\d{1,9}))?$/.exec(tok[1] ?? "");
  if (tok.length !== 2 || !/^[12]$/.test(tok[0]) || !ts) return null;
  return { level: tok[0] === "1" ? 1 : 0, ns: BigInt(ts[1]) * 1_000_000_000n + BigInt((ts[2] ?? "0").padEnd(9, "0")) };
}

export interface ChardevLineOptions {
  chip: string;
  offset: number;
  now: NowMs;
  tools?: GpiodTools;
  /** Detected with `gpiomon --version` when not given. */
  major?: LibgpiodMajor;
  /** First restart delay after gpiomon dies; doubles up to 30 s. */
  restartDelayMs?: number;
}

export async function openChardevLine(opts: ChardevLineOptions): Promise<GpioLine> {
  const tools = opts.tools ?? DEFAULT_GPIOD_TOOLS;
  const major = opts.major ?? (await detectLibgpiodMajor(tools));
  const line = new ChardevLine(opts.chip, opts.offset, major, tools, opts.now, opts.restartDelayMs ?? 1000);
  await line.read(); // fails here, with the tool's message, when the line cannot be requested
  return line;
}

/** Kernel timestamps beyond this age are not trusted (another clock, e.g. hte): the edge is stamped on arrival. */
const MAX_EVENT_AGE_MS = 10_000;

class ChardevLine implements GpioLine {
  readonly description: string;
  private child: ChildProcess | undefined;
  private closed = false;
  private level: Level | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private delay: number;

  constructor(
    private readonly chip: string,
    private readonly offset: number,
    private readonly major: LibgpiodMajor,
    private readonly tools: GpiodTools,
    private readonly now: NowMs,
    private readonly firstDelay: number,
  ) {
    this.description = `${chip}:${offset} (libgpiod ${major}.x tools)`;
    this.delay = firstDelay;
  }

  async read(): Promise<Level> {
    // While gpiomon holds the line, gpioget would get EBUSY: the monitor's last edge is the level.
    if (this.child && this.level !== undefined) return this.level;
    this.level = parseGpiogetOutput(await run(this.tools.gpioget, gpiogetArgs(this.major, this.chip, this.offset)));
    return this.level;
  }

  watch(onEdge: (edge: GpioEdge) => void, onError?: (err: Error) => void): void {
    this.spawnMonitor(onEdge, onError ?? (() => {}));
  }

  private spawnMonitor(onEdge: (edge: GpioEdge) => void, onError: (err: Error) => void): void {
    const child = spawn(this.tools.gpiomon, gpiomonArgs(this.major, this.chip, this.offset), { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
    createInterface({ input: child.stdout! }).on("line", (text) => {
      const ev = parseGpiomonLine(this.major, text);
      if (!ev) return onError(new Error(`${this.description}: unexpected gpiomon output "${text.slice(0, 80)}"`));
      this.delay = this.firstDelay;
      this.level = ev.level;
      onEdge({ level: ev.level, t: this.toAgentTime(ev.ns) });
    });
    child.on("error", (err) => onError(new Error(`${this.description}: cannot run ${this.tools.gpiomon}: ${err.message}`)));
    child.on("close", (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.closed) return;
      onError(new Error(`${this.description}: gpiomon exited (${signal ?? `code ${code}`}) ${stderr.trim()}; restarting`));
      this.restartTimer = setTimeout(() => void this.restart(onEdge, onError), this.delay);
      this.delay = Math.min(this.delay * 2, 30_000);
    });
  }

  /** Edges may have been missed while gpiomon was down: re-read the level and report a change as an edge. */
  private async restart(onEdge: (edge: GpioEdge) => void, onError: (err: Error) => void): Promise<void> {
    if (this.closed) return;
    const before = this.level;
    try {
      const now = parseGpiogetOutput(await run(this.tools.gpioget, gpiogetArgs(this.major, this.chip, this.offset)));
      this.level = now;
      if (before !== undefined && now !== before && !this.closed) onEdge({ level: now, t: this.now() });
    } catch (e) {
      onError(e as Error);
    }
    if (!this.closed) this.spawnMonitor(onEdge, onError);
  }

  /** gpiomon stamps with CLOCK_MONOTONIC, the clock of process.hrtime on Linux: the edge's age maps onto the agent clock. */
  private toAgentTime(ns: bigint): number {
    const now = this.now();
    const ageMs = Number(process.hrtime.bigint() - ns) / 1e6;
    return ageMs >= 0 && ageMs < MAX_EVENT_AGE_MS ? now - ageMs : now;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("close", () => resolve());
      child.kill("SIGTERM");
    });
  }
}
