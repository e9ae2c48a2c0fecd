// Placeholder until its issue lands; replaced by the real command.
import type { Command } from "../main.js";

export const command: Command = {
  summary: "(uninstall: not built yet)",
  usage: "edge-agent uninstall",
  async run() {
    console.error("edge-agent uninstall: not built yet");
    return 1;
  },
};
