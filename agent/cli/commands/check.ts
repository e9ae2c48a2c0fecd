import { parseArgs } from "node:util";
import { loadConfig } from "../../../config/load.js";
import type { Command } from "../main.js";
import { UsageError } from "../exit-codes.js";

export const command: Command = {
  summary: "validate a config file and print a summary of its streams",
  usage: "edge-agent check --config FILE",
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { config: { type: "string", short: "c" } }, strict: true });
    if (!values.config) throw new UsageError("--config FILE is required");
    const cfg = loadConfig(values.config);
    console.log(`${values.config}: valid, ${cfg.streams.length} stream(s)`);
    for (const s of cfg.streams) console.log(`  ${s.name.padEnd(32)} ${s.sensor.type}${s.enabled ? "" : " (disabled)"}`);
    return 0;
  },
};
