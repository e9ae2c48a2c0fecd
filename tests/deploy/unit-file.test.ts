import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { install } from "../../agent/install/install.js";
import { cleanupTemp, makeImageRoot, makePackage, read, tempDir, validConfigYaml, writeConfig } from "./support/fake-root.js";

afterEach(cleanupTemp);

const SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze";

function installedUnit(): { path: string; text: string } {
  const root = makeImageRoot();
  // The unit names node by its path on the device; here that is the node running the tests, which verify checks.
  install({ root, config: writeConfig(validConfigYaml()), from: makePackage(), node: process.execPath });
  const path = join(root, "etc/systemd/system/edge-agent.service");
  return { path, text: read(root, "etc/systemd/system/edge-agent.service") };
}

function verify(path: string) {
  // CI installs Debian's systemd package when this is missing (see the report of issue 8 / .ci/run).
  expect(existsSync(SYSTEMD_ANALYZE), `${SYSTEMD_ANALYZE} is required (apt-get install systemd)`).toBe(true);
  return spawnSync(SYSTEMD_ANALYZE, ["verify", "--man=no", path], { encoding: "utf8", env: { ...process.env, SYSTEMD_LOG_COLOR: "0" } });
}

function directives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = line.match(/^([A-Za-z]+)=(.*)$/);
    if (m) out.set(m[1], [...(out.get(m[1]) ?? []), m[2]]);
  }
  return out;
}

describe("the systemd unit", () => {
  it("passes systemd-analyze verify without a single warning", () => {
    const { path } = installedUnit();
    const r = verify(path);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("is checked for real: verify reports an unknown directive and a missing binary", () => {
    const { text } = installedUnit();
    const path = join(tempDir("edge-unit-"), "edge-agent.service");
    writeFileSync(path, text.replace("Restart=always", "Restart=always\nRestartEverything=yes").replace(process.execPath, "/nonexistent/node"));
    const r = verify(path);
    expect(r.stderr).toContain("RestartEverything");
    expect(r.stderr).toContain("/nonexistent/node");
    expect(r.status).not.toBe(0);
  });

  it("is a notify service with watchdog, reload, restart and the required hardening", () => {
    const d = directives(installedUnit().text);
    const one = (k: string) => d.get(k)?.[0];
    expect(one("Type")).toBe("notify");
    expect(one("NotifyAccess")).toBe("all"); // the notifications come from a systemd-notify child
    expect(one("Restart")).toBe("always");
    expect(Number(one("WatchdogSec"))).toBeGreaterThan(0);
    expect(one("ExecReload")).toBe("/bin/kill -HUP $MAINPID");
    expect(one("ExecStart")).toBe(`${process.execPath} --max-semi-space-size=1 --max-old-space-size=24 --v8-pool-size=1 --single-threaded --no-memory-reducer /opt/edge-agent/bin/edge-agent.js run --config /etc/edge-agent/config.yaml`);
    // The memory settings bench:e2e measures the agent with (bench/e2e/shipped-runtime.ts reads the same lines).
    expect(d.get("Environment")).toEqual(["NODE_ENV=production", "MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=65536 MALLOC_TRIM_THRESHOLD_=131072"]);
    expect(one("User")).toBe("edge-agent");
    expect(one("StandardOutput")).toBe("journal");
    expect(one("NoNewPrivileges")).toBe("yes");
    expect(one("ProtectSystem")).toBe("strict");
    expect(one("ReadWritePaths")).toBe("/var/lib/edge-agent");
    expect(one("PrivateTmp")).toBe("yes");
    expect(one("ProtectHome")).toBe("yes");
    expect(d.get("CapabilityBoundingSet")).toEqual([""]);
    expect(one("DevicePolicy")).toBe("closed");
    expect(d.get("DeviceAllow")).toEqual(["char-i2c rw", "char-gpiochip rw", "char-ttyS rw", "char-ttyAMA rw", "char-ttyUSB rw", "char-ttyACM rw"]);
    expect(d.has("MemoryDenyWriteExecute")).toBe(false); // V8's JIT would crash under it
    expect(d.has("ProtectKernelTunables")).toBe(false); // would make the GPIO sysfs files read-only
    expect(one("WantedBy")).toBe("multi-user.target");
  });
});
