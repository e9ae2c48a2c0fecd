// The edge-agent command. Each subcommand lives in its own file under commands/ and is loaded on demand.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";
import { ConfigError } from "../../config/load.js";
import { ExitCode, UsageError } from "./exit-codes.js";

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<{ command: Command }>> = {
  run: () => import("./commands/run.js"),
  demo: () => import("./commands/demo.js"),
  check: () => import("./commands/check.js"),
  probe: () => import("./commands/probe.js"),
  codec: () => import("./commands/codec.js"),
  analyze: () => import("./commands/analyze.js"),
  install: () => import("./commands/install.js"),
  uninstall: () => import("./commands/uninstall.js"),
};

export function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

async function help(): Promise<string> {
  const lines = ["Usage: edge-agent <command> [options]", "", "Commands:"];
  for (const [name, load] of Object.entries(commands)) {
    try {
      const { command } = await load();
      lines.push(`  ${name.padEnd(10)} ${command.summary}`);
    } catch {
      /* a command whose module is not built in this package is not listed */
    }
  }
  lines.push("", "Options:", "  --help       this help (or `edge-agent <command> --help`)", "  --version    print the version");
  lines.push("", "Exit codes: 0 ok, 1 failure, 2 invalid config or command line, 3 hardware not found or not accessible.");
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v") {
    console.log(version());
    return ExitCode.ok;
  }
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(await help());
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const load = commands[name];
  if (!load) {
    console.error(`edge-agent: unknown command "${name}"\n\n${await help()}`);
    return ExitCode.usage;
  }
  const { command } = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`Usage: ${command.usage}\n\n${command.summary}`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`edge-agent: invalid config ${e.message}`);
      return ExitCode.usage;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`edge-agent ${name}: ${(e as Error).message}\nUsage: ${command.usage}`);
      return ExitCode.usage;
    }
    throw e;
  }
}
