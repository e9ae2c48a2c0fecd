// Temporary root filesystems and edge-agent packages for install tests: nothing outside the temp dir is touched.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

const made: string[] = [];
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}
export function cleanupTemp(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

function put(root: string, path: string, text: string, mode = 0o644): void {
  const p = join(root, path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  chmodSync(p, mode);
}

/** A Raspberry-Pi-OS-like /etc: gpio exists with a member, i2c does not, dialout is Debian's gid 20. */
export function makeImageRoot(): string {
  const root = tempDir("edge-root-");
  put(root, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nsystemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin\npi:x:1000:1000:,,,:/home/pi:/bin/bash\n");
  put(root, "etc/group", "root:x:0:\ndaemon:x:1:\ndialout:x:20:pi\nshadow:x:42:\nsystemd-network:x:998:\ngpio:x:997:pi\npi:x:1000:\n");
  put(root, "etc/shadow", "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nsystemd-network:!*:19000::::::\npi:$y$j9T$abc:19000:0:99999:7:::\n", 0o640);
  put(root, "etc/gshadow", "root:*::\ndaemon:*::\ndialout:*::pi\nshadow:*::\nsystemd-network:!*::\ngpio:!::pi\npi:!::\n", 0o640);
  put(root, "etc/login.defs", "SYS_UID_MIN 100\nSYS_UID_MAX 999\nSYS_GID_MIN 100\nSYS_GID_MAX 999\n");
  mkdirSync(join(root, "usr/bin"), { recursive: true });
  symlinkSync(process.execPath, join(root, "usr/bin/node"));
  return root;
}

/** A small edge-agent package: its own files, one runtime and one development-only dependency. */
export function makePackage(version = "0.1.0"): string {
  const dir = tempDir("edge-pkg-");
  put(dir, "package.json", JSON.stringify({ name: "edge-agent", version, files: ["bin", "dist", "deploy"] }));
  put(dir, "package-lock.json", JSON.stringify({
    lockfileVersion: 3,
    packages: { "": { name: "edge-agent" }, "node_modules/runtime-dep": { version: "1.0.0" }, "node_modules/dev-dep": { version: "1.0.0", dev: true } },
  }));
  put(dir, "bin/edge-agent.js", `#!/usr/bin/env node\nconsole.log("${version}");\n`, 0o755);
  put(dir, "dist/agent/cli/main.js", "export {};\n");
  put(dir, "node_modules/runtime-dep/index.js", "module.exports = 1;\n");
  put(dir, "node_modules/dev-dep/index.js", "module.exports = 2;\n");
  put(dir, "src-not-shipped.ts", "// not in files\n");
  mkdirSync(join(dir, "deploy"));
  copyFileSync(join(repoRoot, "deploy/edge-agent.service"), join(dir, "deploy/edge-agent.service"));
  return dir;
}

export function validConfigYaml(extra = ""): string {
  return [
    "gateway:",
    "  id: test-gw",
    "buses:",
    "  i2c:",
    "    - { name: sim, simulate: true }",
    "streams:",
    "  - name: coldroom1/air",
    "    sensor: { type: sht3x, bus: sim }",
    "uplink:",
    "  brokers:",
    "    - url: mqtt://127.0.0.1:1883",
    extra,
  ].join("\n");
}

export function writeConfig(text: string): string {
  const p = join(tempDir("edge-cfg-"), "config.yaml");
  writeFileSync(p, text);
  return p;
}

export const read = (root: string, p: string) => readFileSync(join(root, p), "utf8");
