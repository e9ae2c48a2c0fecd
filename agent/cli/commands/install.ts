import { parseArgs } from "node:util";
import type { Command } from "../main.js";
import { ConfigError } from "../../../config/load.js";
import { ExitCode, UsageError } from "../exit-codes.js";
import { install } from "../../install/install.js";
import { layout } from "../../install/layout.js";

export const command: Command = {
  summary: "install the agent, its config, service account and systemd unit into a root filesystem (an image or /)",
  usage:
    "edge-agent install --root DIR [--config FILE] [--replace-config] [--dry-run] [--from PACKAGE_DIR] [--node PATH] [--no-start]\n\n" +
    `  --root DIR         the root filesystem: a mounted image, or / for this device\n` +
    `  --config FILE      validated, then written to ${layout.configFile} (0640); required the first time\n` +
    `  --replace-config   replace an existing config (kept as config.yaml.bak); by default it is kept\n` +
    `  --dry-run          print what would change, change nothing\n` +
    `  --from DIR         the edge-agent package to install (default: this one); use one built for the target CPU\n` +
    `  --node PATH        node on the device (default ${layout.defaultNode})\n` +
    `  --no-start         on a running device, do not (re)start the service`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        root: { type: "string" },
        config: { type: "string", short: "c" },
        "replace-config": { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        from: { type: "string" },
        node: { type: "string" },
        "no-start": { type: "boolean", default: false },
      },
      strict: true,
    });
    if (!values.root) throw new UsageError("--root DIR is required (use --root / to install on this device)");
    const dryRun = values["dry-run"];
    let r: ReturnType<typeof install>;
    try {
      r = install({
      root: values.root,
      config: values.config,
      replaceConfig: values["replace-config"],
      dryRun,
      from: values.from,
      node: values.node,
      noStart: values["no-start"],
      });
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      console.error(`edge-agent install: ${(e as Error).message}`);
      return ExitCode.failure;
    }
    const verb = dryRun ? "would" : "did";
    if (r.actions.length === 0) console.log(`edge-agent install: ${values.root} is already up to date`);
    else console.log(`edge-agent install (${verb}):\n` + r.actions.map((a) => `  ${a}`).join("\n"));
    for (const w of r.warnings) console.error(`warning: ${w}`);
    return ExitCode.ok;
  },
};
