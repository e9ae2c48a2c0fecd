// The node flags and environment the shipped systemd unit runs the agent with (deploy/edge-agent.service), read
// from the unit itself so the benchmark measures the agent exactly as it is deployed.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface NodeRuntime {
  flags: string[];
  env: Record<string, string>;
}

export function shippedRuntime(unitPath = fileURLToPath(new URL("../../deploy/edge-agent.service", import.meta.url))): NodeRuntime {
  const lines = readFileSync(unitPath, "utf8").split("\n");
  const values = (key: string): string[] => lines.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1).trim());
  const [exec] = values("ExecStart");
  if (!exec) throw new Error(`${unitPath}: no ExecStart`);
  // ExecStart=@NODE@ <node flags> <script> ...: the flags are the words between the binary and the script.
  const words = exec.split(/\s+/).slice(1);
  const flags = words.slice(0, words.findIndex((w) => !w.startsWith("-")));
  const env: Record<string, string> = {};
  for (const v of values("Environment")) for (const kv of v.split(/\s+/)) env[kv.slice(0, kv.indexOf("="))] = kv.slice(kv.indexOf("=") + 1);
  return { flags, env };
}
