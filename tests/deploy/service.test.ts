// The agent installed into a root and started the way systemd starts the unit: its ExecStart, WorkingDirectory and
// Environment, NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID set for the main process. It must report READY=1,
// feed the watchdog while its pipeline runs, and say STOPPING=1 on SIGTERM.
import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { install } from "../../agent/install/install.js";
import { Mosquitto } from "../helpers/mosquitto.js";
import { cleanupTemp, makeImageRoot, read, repoRoot, validConfigYaml, writeConfig } from "./support/fake-root.js";
import { startNotifySocket, type FakeNotifySocket } from "./support/notify-socket.js";

let broker: Mosquitto | undefined;
let sock: FakeNotifySocket | undefined;
afterEach(async () => {
  sock?.close();
  await broker?.stop();
  cleanupTemp();
});

function unitValues(unit: string, key: string): string[] {
  return unit.split("\n").filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
}

describe("edge-agent as the systemd service", () => {
  it("sends READY=1, then WATCHDOG=1 keep-alives, then STOPPING=1", async () => {
    expect(existsSync(join(repoRoot, "dist/agent/cli/main.js")), "dist/ is missing: run `npm run build` (npm ci does)").toBe(true);
    broker = await Mosquitto.start();
    sock = await startNotifySocket();
    const root = makeImageRoot();
    const dataDir = join(root, "var/lib/edge-agent");
    const config = validConfigYaml()
      .replace("  id: test-gw", `  id: test-gw\n  dataDir: ${dataDir}`)
      .replace("mqtt://127.0.0.1:1883", `mqtt://127.0.0.1:${broker.port}`);
    install({ root, config: writeConfig(config), from: repoRoot, node: process.execPath });

    // ExecStart as written in the installed unit; its device paths resolved inside the temp root.
    const unit = read(root, "etc/systemd/system/edge-agent.service");
    const argv = unitValues(unit, "ExecStart")[0].split(" ").map((a, i) => (i > 0 && a.startsWith("/") && existsSync(join(root, a)) ? join(root, a) : a));
    expect(argv[0]).toBe(process.execPath);
    expect(argv.find((a) => !a.startsWith("--") && a !== argv[0])).toBe(join(root, "opt/edge-agent/bin/edge-agent.js"));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NOTIFY_SOCKET: sock.path, WATCHDOG_USEC: "1000000", EDGE_AGENT_LOG_FORMAT: "json" };
    for (const e of unitValues(unit, "Environment")) for (const kv of e.split(" ")) env[kv.split("=")[0]] = kv.split("=").slice(1).join("=");
    expect(unitValues(unit, "WorkingDirectory")).toEqual(["/var/lib/edge-agent"]);

    // systemd sets WATCHDOG_PID to the main process; the shell execs the agent so the pid is the agent's.
    const agent = spawn("/bin/sh", ["-c", 'export WATCHDOG_PID=$$; exec "$@"', "sh", ...argv], { cwd: dataDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    agent.stdout.on("data", (d) => (output += d));
    agent.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => agent.on("exit", (code) => resolve(code)));
    const died = exited.then((code) => {
      throw new Error(`agent exited (${code}) before notifying:\n${output}`);
    });
    try {
      await Promise.race([sock.waitFor((m) => m === "READY=1"), died]);
      await Promise.race([sock.waitFor((m) => m === "WATCHDOG=1"), died]);
      const sent = sock.messages.filter((m) => m !== "BARRIER=1");
      expect(sent.indexOf("READY=1")).toBeLessThan(sent.indexOf("WATCHDOG=1"));
    } finally {
      agent.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    await sock.waitFor((m) => m === "STOPPING=1");
  }, 60_000);
});
