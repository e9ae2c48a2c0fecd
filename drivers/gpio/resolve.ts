// Resolves a configured line (BCM number, header pin, or chip + offset) to a chip and offset, and for sysfs to the
// global line number. Since Linux 6.6 (and on the Pi 5) GPIO chip bases are no longer 0 (512, 571 are seen), so
// `new Gpio(17)` is wrong on current Raspberry Pi OS: the number must be base + offset of the right chip.
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { basename, join } from "node:path";

export type LineRef = { bcm: number } | { pin: number } | { chip: string | number; offset: number };

export interface ChipInfo {
  /** N of /dev/gpiochipN. */
  index: number;
  /** "gpiochipN", as the libgpiod tools name it. */
  name: string;
  label: string;
  ngpio: number;
  /** First global (sysfs) number of the chip; only known from sysfs. */
  base?: number;
}

export interface ResolvedLine {
  chip: ChipInfo;
  offset: number;
  /** Global number for /sys/class/gpio/export (base + offset), when the base is known. */
  sysfsNumber?: number;
}

export const DEFAULT_SYSFS_ROOT = "/sys/class/gpio";

/**
 * Labels of the chip that carries the 40-pin header's BCM lines, most specific first: RP1 on the Pi 5, the SoC's
 * own controller before. The Pi 5 also has a "pinctrl-bcm2712" chip, which is not the header.
 */
export const PI_HEADER_CHIP_LABELS = ["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"] as const;

/** 40-pin header pin -> BCM line (Raspberry Pi GPIO header pinout, same on every 40-pin model). */
export const HEADER_PIN_TO_BCM: Readonly<Record<number, number>> = {
  3: 2, 5: 3, 7: 4, 8: 14, 10: 15, 11: 17, 12: 18, 13: 27, 15: 22, 16: 23, 18: 24, 19: 10, 21: 9, 22: 25, 23: 11,
  24: 8, 26: 7, 27: 0, 28: 1, 29: 5, 31: 6, 32: 12, 33: 13, 35: 19, 36: 16, 37: 26, 38: 20, 40: 21,
};

export class LineResolutionError extends Error {
  override name = "LineResolutionError";
}

export function describeRef(ref: LineRef): string {
  if ("bcm" in ref) return `BCM ${ref.bcm}`;
  if ("pin" in ref) return `header pin ${ref.pin}`;
  return `chip ${JSON.stringify(ref.chip)} offset ${ref.offset}`;
}

/** Reads the chips of a sysfs GPIO tree (`<root>/gpiochip<base>/{base,label,ngpio}`). */
export function readSysfsChips(root = DEFAULT_SYSFS_ROOT): ChipInfo[] {
  const dirs = readdirSync(root).filter((d) => /^gpiochip\d+$/.test(d));
  const chips = dirs.map((d) => {
    const dir = join(root, d);
    const read = (f: string) => readFileSync(join(dir, f), "utf8").trim();
    return { dir, base: Number(read("base")), ngpio: Number(read("ngpio")), label: read("label"), index: deviceIndex(dir) };
  });
  chips.sort((a, b) => a.base - b.base);
  // Without a `device` link (old kernels) the character-device index follows probe order, which is base order.
  return chips.map((c, i) => {
    const index = c.index ?? i;
    return { index, name: `gpiochip${index}`, label: c.label, ngpio: c.ngpio, base: c.base };
  });
}

/**
 * The /dev/gpiochipN index of a sysfs chip. `<chipdir>/device` links to the gpio device itself on older kernels
 * (its name is gpiochipN); since Linux 6.x it links to the parent device (a pinctrl or gpio-sim platform device),
 * whose directory holds the gpio device as a `gpiochipN` child. A parent with several chips is ambiguous: undefined.
 */
function deviceIndex(dir: string): number | undefined {
  const link = join(dir, "device");
  if (!existsSync(link)) return undefined;
  try {
    const own = /^gpiochip(\d+)$/.exec(basename(readlinkSync(link)));
    if (own) return Number(own[1]);
    const children = readdirSync(link).filter((d) => /^gpiochip\d+$/.test(d));
    return children.length === 1 ? Number(children[0].slice("gpiochip".length)) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses `gpiodetect` output, the same in libgpiod 1.x and 2.x: `gpiochip0 [pinctrl-bcm2711] (58 lines)`. */
export function parseGpiodetect(text: string): ChipInfo[] {
  const chips: ChipInfo[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(gpiochip(\d+))\s+\[(.*)\]\s+\((\d+) lines?\)/.exec(line);
    if (m) chips.push({ name: m[1], index: Number(m[2]), label: m[3], ngpio: Number(m[4]) });
  }
  return chips;
}

export function resolveLine(ref: LineRef, chips: ChipInfo[]): ResolvedLine {
  let chip: ChipInfo | undefined;
  let offset: number;
  if ("chip" in ref) {
    chip =
      typeof ref.chip === "number"
        ? chips.find((c) => c.index === ref.chip)
        : chips.find((c) => c.label === ref.chip || c.name === ref.chip || `/dev/${c.name}` === ref.chip);
    if (!chip) throw new LineResolutionError(`no GPIO chip ${JSON.stringify(ref.chip)}; found ${listChips(chips)}`);
    offset = ref.offset;
  } else {
    const bcm = "bcm" in ref ? ref.bcm : HEADER_PIN_TO_BCM[ref.pin];
    if (bcm === undefined) throw new LineResolutionError(`header pin ${(ref as { pin: number }).pin} is power or ground, not a GPIO`);
    for (const label of PI_HEADER_CHIP_LABELS) {
      chip = chips.find((c) => c.label === label);
      if (chip) break;
    }
    if (!chip) {
      throw new LineResolutionError(
        `${describeRef(ref)}: no Raspberry Pi GPIO chip (${PI_HEADER_CHIP_LABELS.join(", ")}); found ${listChips(chips)}. ` +
          `Name the line by chip label and offset instead.`,
      );
    }
    offset = bcm;
  }
  if (offset >= chip.ngpio) {
    throw new LineResolutionError(`${describeRef(ref)}: offset ${offset} is outside ${chip.name} [${chip.label}] (${chip.ngpio} lines)`);
  }
  return { chip, offset, sysfsNumber: chip.base === undefined ? undefined : chip.base + offset };
}

function listChips(chips: ChipInfo[]): string {
  if (chips.length === 0) return "no chips";
  return chips.map((c) => `${c.name} [${c.label}]${c.base !== undefined ? ` base ${c.base}` : ""}`).join(", ");
}
