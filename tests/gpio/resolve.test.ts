import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseGpiodetect, readSysfsChips, resolveLine } from "../../drivers/gpio/resolve.js";
import { fakeSysfs, removeTempDirs } from "./helpers.js";

afterAll(removeTempDirs);

// Trees as seen on real systems: a Pi 3 on an old kernel (base 0), a Pi 4 on 6.6+ (base 512, the firmware
// expander above it), a Pi 5 (RP1 header chip at 571, the SoC's own chips below it).
const pi3 = () => fakeSysfs([
  { base: 0, label: "pinctrl-bcm2835", ngpio: 54 },
  { base: 504, label: "raspberrypi-exp-gpio", ngpio: 8 },
]);
const pi4 = () => fakeSysfs([
  { base: 512, label: "pinctrl-bcm2711", ngpio: 58, index: 0 },
  { base: 570, label: "raspberrypi-exp-gpio", ngpio: 8, index: 1 },
]);
const pi5 = () => fakeSysfs([
  { base: 512, label: "gpio-brcmstb@107d508500", ngpio: 32, index: 0 },
  { base: 544, label: "gpio-brcmstb@107d517c00", ngpio: 15, index: 1 },
  { base: 559, label: "gpio-brcmstb@107d508520", ngpio: 6, index: 2 },
  { base: 565, label: "gpio-brcmstb@107d517c20", ngpio: 6, index: 3 },
  { base: 571, label: "pinctrl-rp1", ngpio: 54, index: 4 },
]);

describe("line resolution from a sysfs tree", () => {
  it.each([
    ["base 0 (Pi 3, old kernel)", pi3, 17],
    ["base 512 (Pi 4, kernel 6.6+)", pi4, 529],
    ["base 571 (Pi 5, RP1)", pi5, 588],
  ])("BCM 17 on %s resolves to gpio%i", (_name, tree, expected) => {
    const r = resolveLine({ bcm: 17 }, readSysfsChips(tree()));
    expect(r.sysfsNumber).toBe(expected);
    expect(r.offset).toBe(17);
  });

  it("header pin 11 is BCM 17; pin 40 is BCM 21", () => {
    const chips = readSysfsChips(pi4());
    expect(resolveLine({ pin: 11 }, chips).sysfsNumber).toBe(529);
    expect(resolveLine({ pin: 40 }, chips).sysfsNumber).toBe(533);
  });

  it("a chip by label plus offset, and by /dev index (from the device link)", () => {
    const chips = readSysfsChips(pi5());
    expect(resolveLine({ chip: "pinctrl-rp1", offset: 4 }, chips).sysfsNumber).toBe(575);
    expect(resolveLine({ chip: 4, offset: 4 }, chips).sysfsNumber).toBe(575);
    expect(resolveLine({ chip: "gpiochip1", offset: 2 }, chips).sysfsNumber).toBe(546);
  });

  it("without device links the index follows base order", () => {
    const chips = readSysfsChips(pi3());
    expect(chips.map((c) => c.name)).toEqual(["gpiochip0", "gpiochip1"]);
    expect(resolveLine({ chip: 1, offset: 3 }, chips).sysfsNumber).toBe(507);
  });

  it("a gpio-sim chip with a high base (kernel test setup) resolves by label", () => {
    const chips = readSysfsChips(fakeSysfs([{ base: 1008, label: "gpio-sim.0-node0", ngpio: 16, index: 0 }]));
    expect(resolveLine({ chip: "gpio-sim.0-node0", offset: 5 }, chips).sysfsNumber).toBe(1013);
  });

  it("on Linux 6.x, where the device link names the parent, the index comes from its gpiochipN child", () => {
    // gpio-sim as the kernel suite sees it: bases handed out downwards, so base order is not /dev order.
    const top = mkdtempSync(join(tmpdir(), "sysfs6-"));
    const root = join(top, "class", "gpio");
    const chip = (base: number, label: string, parent: string, index: number) => {
      const dev = join(top, "devices", parent);
      mkdirSync(join(dev, `gpiochip${index}`), { recursive: true });
      const dir = join(root, `gpiochip${base}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "base"), `${base}\n`);
      writeFileSync(join(dir, "label"), `${label}\n`);
      writeFileSync(join(dir, "ngpio"), "8\n");
      symlinkSync(dev, join(dir, "device"));
    };
    chip(1016, "decoy", "gpio-sim.0", 0);
    chip(1008, "door-bank", "gpio-sim.1", 1);
    const chips = readSysfsChips(root);
    expect(resolveLine({ chip: 1, offset: 2 }, chips)).toMatchObject({ sysfsNumber: 1010 });
    expect(resolveLine({ chip: 0, offset: 2 }, chips)).toMatchObject({ sysfsNumber: 1018 });
  });

  it("clear answers for a power pin, an unknown chip, an offset beyond the chip, and BCM on a non-Pi board", () => {
    const chips = readSysfsChips(pi4());
    expect(() => resolveLine({ pin: 1 }, chips)).toThrow(/power or ground/);
    expect(() => resolveLine({ chip: "nope", offset: 1 }, chips)).toThrow(/no GPIO chip "nope"; found gpiochip0 \[pinctrl-bcm2711\] base 512/);
    expect(() => resolveLine({ chip: "raspberrypi-exp-gpio", offset: 8 }, chips)).toThrow(/outside gpiochip1/);
    const other = readSysfsChips(fakeSysfs([{ base: 0, label: "gpio-sim.0-node0", ngpio: 8 }]));
    expect(() => resolveLine({ bcm: 4 }, other)).toThrow(/no Raspberry Pi GPIO chip.*chip label and offset/);
  });
});

describe("gpiodetect output (character device)", () => {
  it("parses libgpiod 1.x and 2.x listings and resolves BCM lines on the header chip", () => {
    const text = "gpiochip0 [pinctrl-bcm2711] (58 lines)\ngpiochip1 [raspberrypi-exp-gpio] (8 lines)\n";
    const chips = parseGpiodetect(text);
    expect(chips).toEqual([
      { name: "gpiochip0", index: 0, label: "pinctrl-bcm2711", ngpio: 58 },
      { name: "gpiochip1", index: 1, label: "raspberrypi-exp-gpio", ngpio: 8 },
    ]);
    const r = resolveLine({ bcm: 17 }, chips);
    expect([r.chip.name, r.offset, r.sysfsNumber]).toEqual(["gpiochip0", 17, undefined]);
  });
});
