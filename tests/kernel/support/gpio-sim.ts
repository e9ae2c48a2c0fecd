// gpio-sim (drivers/gpio/gpio-sim.c) driven through configfs: a simulated GPIO chip whose input lines follow a
// "pull" the test sets, which is what a door contact pulling a line up or down looks like to the kernel.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const CONFIGFS = "/sys/kernel/config/gpio-sim";

export type Pull = "pull-up" | "pull-down";

export interface SimChip {
  /** The label the chip registers with: what line resolution looks the chip up by. */
  label: string;
  /** gpiochipN, as the character device and the libgpiod tools name it. */
  chipName: string;
  /** The global (sysfs) number of line 0, assigned by the kernel. */
  base: number;
  setPull(offset: number, pull: Pull): void;
  /** The level the simulator drives on the line right now. */
  value(offset: number): 0 | 1;
  remove(): void;
}

/** Creates and brings up one gpio-sim device with one bank of `lines` lines. */
export function createSimChip(device: string, label: string, lines: number): SimChip {
  const dev = join(CONFIGFS, device);
  const bank = join(dev, "bank0");
  mkdirSync(dev);
  mkdirSync(bank);
  writeFileSync(join(bank, "num_lines"), String(lines));
  writeFileSync(join(bank, "label"), label);
  writeFileSync(join(dev, "live"), "1");
  const devName = readFileSync(join(dev, "dev_name"), "utf8").trim();
  const chipName = readFileSync(join(bank, "chip_name"), "utf8").trim();
  const lineDir = (offset: number) => join("/sys/devices/platform", devName, chipName, `sim_gpio${offset}`);
  const base = sysfsBaseOf(label);
  return {
    label,
    chipName,
    base,
    setPull: (offset, pull) => writeFileSync(join(lineDir(offset), "pull"), pull),
    value: (offset) => (readFileSync(join(lineDir(offset), "value"), "utf8").trim() === "1" ? 1 : 0),
    remove: () => {
      writeFileSync(join(dev, "live"), "0");
      rmdirSync(bank);
      rmdirSync(dev);
    },
  };
}

/** The base of the chip with this label, read from /sys/class/gpio/gpiochip<base>/. */
export function sysfsBaseOf(label: string): number {
  for (const d of readdirSync("/sys/class/gpio").filter((d) => /^gpiochip\d+$/.test(d))) {
    if (readFileSync(`/sys/class/gpio/${d}/label`, "utf8").trim() === label) {
      return Number(readFileSync(`/sys/class/gpio/${d}/base`, "utf8").trim());
    }
  }
  throw new Error(`no GPIO chip labelled ${label} in /sys/class/gpio`);
}

export function gpioSimAvailable(): boolean {
  return existsSync(CONFIGFS);
}
