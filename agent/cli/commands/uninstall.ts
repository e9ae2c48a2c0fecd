import { parseArgs } from "node:util";
import type { Command } from "../main.js";
import { ExitCode, UsageError } from "../exit-codes.js";
import { uninstall } from "../../install/install.js";

export const command: Command = {
  summary: "remove the agent and its systemd unit from a root filesystem; config, store and account stay unless --purge",
  usage:
    "edge-agent uninstall --root DIR [--purge] [--dry-run]\n\n" +
    "  --root DIR   the root filesystem: a mounted image, or / for this device\n" +
    "  --purge      also remove /etc/edge-agent, the store in /var/lib/edge-agent and the edge-agent account\n" +
    "  --dry-run    print what would change, change nothing",
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { root: { type: "string" }, purge: { type: "boolean", default: false }, "dry-run": { type: "boolean", default: false } },
      strict: true,
    });
    if (!values.root) throw new UsageError("--root DIR is required (use --root / for this device)");
    let r: ReturnType<typeof uninstall>;
    try {
      r = uninstall({ root: values.root, purge: values.purge, dryRun: values["dry-run"] });
    } catch (e) {
      console.error(`edge-agent uninstall: ${(e as Error).message}`);
      return ExitCode.failure;
    }
    const verb = values["dry-run"] ? "would" : "did";
    if (r.actions.length === 0) console.log(`edge-agent uninstall: nothing installed in ${values.root}`);
    else console.log(`edge-agent uninstall (${verb}):\n` + r.actions.map((a) => `  ${a}`).join("\n"));
    for (const w of r.warnings) console.error(`warning: ${w}`);
    return ExitCode.ok;
  },
};
