// Placeholder until its issue lands; replaced by the real command.
import type { Command } from "../main.js";

export const command: Command = {
  summary: "(analyze: not built yet)",
  usage: "edge-agent analyze",
  async run() {
    console.error("edge-agent analyze: not built yet");
    return 1;
  },
};
