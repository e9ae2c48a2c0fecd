// Placeholder until its issue lands; replaced by the real command.
import type { Command } from "../main.js";

export const command: Command = {
  summary: "(demo: not built yet)",
  usage: "edge-agent demo",
  async run() {
    console.error("edge-agent demo: not built yet");
    return 1;
  },
};
