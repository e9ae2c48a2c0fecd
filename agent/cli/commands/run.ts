import { parseArgs } from "node:util";
import { loadConfig } from "../../../config/load.js";
import { createLogger } from "../../log.js";
import { defaultDeps } from "../../runtime/default-deps.js";
import { runAgentProcess } from "../../runtime/process.js";
import { UsageError } from "../exit-codes.js";
import type { Command } from "../main.js";

export const command: Command = {
  summary: "run the agent with a config file (SIGTERM/SIGINT stop, SIGHUP reloads the config)",
  usage: "edge-agent run --config FILE",
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { config: { type: "string", short: "c" } }, strict: true });
    if (!values.config) throw new UsageError("--config FILE is required");
    const file = values.config;
    const config = loadConfig(file);
    const log = createLogger({ level: config.log.level, format: (process.env.EDGE_AGENT_LOG_FORMAT as "json") ?? config.log.format });
    const code = await runAgentProcess(config, { log, deps: defaultDeps(), reload: () => loadConfig(file) });
    log.flush?.();
    return code;
  },
};
