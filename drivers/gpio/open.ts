// Opens a configured line on the right backend: sysfs (onoff) where /sys/class/gpio exists and works, else the
// character device (libgpiod tools). Raspberry Pi OS Trixie has no sysfs GPIO, and onoff will not move off it.
import { existsSync } from "node:fs";
import type { NowMs } from "../types.js";
import { DEFAULT_GPIOD_TOOLS, listChardevChips, openChardevLine, type GpiodTools, type LibgpiodMajor } from "./chardev.js";
import type { GpioLine } from "./line.js";
import { DEFAULT_SYSFS_ROOT, describeRef, readSysfsChips, resolveLine, type LineRef } from "./resolve.js";
import { openSysfsLine } from "./sysfs.js";

export type GpioBackend = "auto" | "sysfs" | "chardev";

export interface OpenGpioOptions {
  backend: GpioBackend;
  now: NowMs;
  sysfsRoot?: string;
  tools?: GpiodTools;
  libgpiodMajor?: LibgpiodMajor;
  /** Opens a sysfs line by global number (default: onoff). Injectable for tests on a fake sysfs tree. */
  openSysfs?: (sysfsNumber: number, now: NowMs) => Promise<GpioLine>;
}

export class GpioUnavailableError extends Error {
  override name = "GpioUnavailableError";
}

export async function openGpioLine(ref: LineRef, opts: OpenGpioOptions): Promise<GpioLine> {
  const tried: string[] = [];
  if (opts.backend === "sysfs" || opts.backend === "auto") {
    try {
      return await trySysfs(ref, opts);
    } catch (e) {
      tried.push(`sysfs: ${(e as Error).message}`);
    }
  }
  if (opts.backend === "chardev" || opts.backend === "auto") {
    try {
      return await tryChardev(ref, opts);
    } catch (e) {
      tried.push(`character device: ${(e as Error).message}`);
    }
  }
  throw new GpioUnavailableError(
    `cannot open GPIO ${describeRef(ref)} (backend ${opts.backend}). Tried:\n  - ${tried.join("\n  - ")}\n` +
      `Install the libgpiod tools for the character device (Debian/Raspberry Pi OS: apt install gpiod), ` +
      `or use a kernel with /sys/class/gpio (CONFIG_GPIO_SYSFS); the agent's user needs access to /dev/gpiochip* (group gpio).`,
  );
}

async function trySysfs(ref: LineRef, opts: OpenGpioOptions): Promise<GpioLine> {
  const root = opts.sysfsRoot ?? DEFAULT_SYSFS_ROOT;
  if (!existsSync(root)) throw new Error(`${root} does not exist (kernel without CONFIG_GPIO_SYSFS)`);
  const resolved = resolveLine(ref, readSysfsChips(root));
  const open = opts.openSysfs ?? openSysfsLine;
  try {
    return await open(resolved.sysfsNumber!, opts.now);
  } catch (e) {
    throw new Error(`export of gpio${resolved.sysfsNumber} (${resolved.chip.label} offset ${resolved.offset}) failed: ${(e as Error).message}`);
  }
}

async function tryChardev(ref: LineRef, opts: OpenGpioOptions): Promise<GpioLine> {
  const tools = opts.tools ?? DEFAULT_GPIOD_TOOLS;
  let chips;
  try {
    chips = await listChardevChips(tools);
  } catch (e) {
    throw new Error(`${tools.gpiodetect} failed (${(e as Error).message})`);
  }
  const resolved = resolveLine(ref, chips);
  return openChardevLine({ chip: resolved.chip.name, offset: resolved.offset, now: opts.now, tools, major: opts.libgpiodMajor });
}
