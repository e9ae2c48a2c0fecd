// Placeholder until its issue lands; replaced by the real command.
import type { Command } from "../main.js";

export const command: Command = {
  summary: "(run: not built yet)",
  usage: "edge-agent run",
  async run() {
    console.error("edge-agent run: not built yet");
    return 1;
  },
};
