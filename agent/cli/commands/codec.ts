// Placeholder until its issue lands; replaced by the real command.
import type { Command } from "../main.js";

export const command: Command = {
  summary: "(codec: not built yet)",
  usage: "edge-agent codec",
  async run() {
    console.error("edge-agent codec: not built yet");
    return 1;
  },
};
