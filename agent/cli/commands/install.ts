// Placeholder until its issue lands; replaced by the real command.
import type { Command } from "../main.js";

export const command: Command = {
  summary: "(install: not built yet)",
  usage: "edge-agent install",
  async run() {
    console.error("edge-agent install: not built yet");
    return 1;
  },
};
