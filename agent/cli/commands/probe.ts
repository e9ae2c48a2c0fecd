// Placeholder until its issue lands; replaced by the real command.
import type { Command } from "../main.js";

export const command: Command = {
  summary: "(probe: not built yet)",
  usage: "edge-agent probe",
  async run() {
    console.error("edge-agent probe: not built yet");
    return 1;
  },
};
