// `edge-agent probe`: what an installer runs when commissioning a gateway. Scans an I2C bus, names the known chips
// by their ID registers (or a safe read-only check), and shows one live reading from each.
import { parseArgs } from "node:util";
import { serializeBus } from "../../../drivers/i2c/lock.js";
import { systemClock, VirtualClock, type DriverClock } from "../../../drivers/i2c/clock.js";
import { createDemoBus } from "../../../drivers/i2c/demo-bus.js";
import { openI2cBus } from "../../../drivers/i2c/open-bus.js";
import type { I2cBus } from "../../../drivers/i2c/port.js";
import { liveReading, scanBus, type FoundDevice } from "../../../drivers/i2c/scan.js";
import type { Command } from "../main.js";
import { ExitCode, UsageError } from "../exit-codes.js";

const UNITS: Record<string, string> = { temperature: "degC", humidity: "%RH", pressure: "hPa", x: "g", y: "g", z: "g" };

function formatReading(r: Record<string, number> | undefined): string {
  if (!r) return "";
  return Object.entries(r)
    .map(([k, v]) => (k === "pressure" ? `pressure ${(v / 100).toFixed(2)} hPa` : `${k} ${v.toFixed(k.length === 1 ? 3 : 2)} ${UNITS[k] ?? ""}`.trim()))
    .join(", ");
}

export const command: Command = {
  summary: "scan an I2C bus for known sensors and show a live reading from each",
  usage: "edge-agent probe [--bus N | --simulate] [--json]",
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { bus: { type: "string" }, simulate: { type: "boolean", default: false }, json: { type: "boolean", default: false } },
      strict: true,
    });
    if (values.simulate && values.bus !== undefined) throw new UsageError("--bus and --simulate exclude each other");
    const busNumber = values.bus === undefined ? 1 : Number(values.bus);
    if (!Number.isInteger(busNumber) || busNumber < 0) throw new UsageError(`--bus expects a bus number such as 1, got "${values.bus}"`);

    let bus: I2cBus;
    let clock: DriverClock;
    const where = values.simulate ? "emulated demo bus" : `/dev/i2c-${busNumber}`;
    if (values.simulate) {
      // Emulated time: conversions complete at once, so the probe of the demo bus takes no real waiting.
      const virtual = new VirtualClock(Date.now());
      clock = virtual;
      bus = createDemoBus(virtual.now);
    } else {
      clock = systemClock();
      try {
        bus = serializeBus(await openI2cBus(busNumber));
      } catch (e) {
        const code = (e as { code?: string }).code;
        const hint = code === "EACCES" ? " (is this user in the i2c group?)" : code === "ENOENT" ? " (is I2C enabled, e.g. dtparam=i2c_arm=on?)" : "";
        console.error(`edge-agent probe: cannot open ${where}: ${(e as Error).message}${hint}`);
        return ExitCode.hardware;
      }
    }

    let found: FoundDevice[];
    try {
      found = await scanBus(bus, clock);
      for (const d of found) {
        if (!d.chip) continue;
        try {
          d.reading = await liveReading(bus, clock, d.chip, d.address);
        } catch (e) {
          d.error = (e as Error).message;
        }
      }
    } finally {
      await bus.close().catch(() => undefined);
    }

    if (values.json) {
      console.log(JSON.stringify({ bus: where, devices: found.map((d) => ({ ...d, address: `0x${d.address.toString(16).padStart(2, "0")}` })) }, null, 2));
      return ExitCode.ok;
    }
    console.log(`${where}: ${found.length} device(s)`);
    if (found.length === 0) return ExitCode.ok;
    console.log(`${"ADDR".padEnd(6)}${"CHIP".padEnd(10)}READING`);
    for (const d of found) {
      const addr = `0x${d.address.toString(16).padStart(2, "0")}`;
      const reading = d.error ? `error: ${d.error}` : d.chip ? formatReading(d.reading) : "(unknown device)";
      console.log(`${addr.padEnd(6)}${(d.chip ?? "?").padEnd(10)}${reading}`);
    }
    return ExitCode.ok;
  },
};
