import { afterEach, describe, expect, it } from "vitest";
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { install, uninstall } from "../../agent/install/install.js";
import { ConfigError } from "../../config/load.js";
import type { CommandRunner } from "../../agent/install/ops.js";
import { cleanupTemp, makeImageRoot, makePackage, read, validConfigYaml, writeConfig } from "./support/fake-root.js";

afterEach(cleanupTemp);

const mode = (root: string, p: string) => statSync(join(root, p)).mode & 0o7777;
const entry = (root: string, file: string, name: string) => read(root, file).split("\n").find((l) => l.startsWith(`${name}:`));
const asRoot = process.getuid?.() === 0;

describe("install into an image", () => {
  it("lays out program, config, store, account and enabled unit", () => {
    const root = makeImageRoot();
    const pkg = makePackage();
    const r = install({ root, config: writeConfig(validConfigYaml()), from: pkg });
    expect(r.config).toBe("written");

    // Program: the package's files and runtime modules, not its sources or development modules.
    expect(read(root, "opt/edge-agent/bin/edge-agent.js")).toContain("0.1.0");
    expect(existsSync(join(root, "opt/edge-agent/node_modules/runtime-dep/index.js"))).toBe(true);
    expect(existsSync(join(root, "opt/edge-agent/node_modules/dev-dep"))).toBe(false);
    expect(existsSync(join(root, "opt/edge-agent/src-not-shipped.ts"))).toBe(false);
    expect(mode(root, "opt/edge-agent/bin/edge-agent.js")).toBe(0o755);

    // Account: system uid/gid below 1000, locked, no login shell, in gpio (kept its member), i2c (created) and dialout.
    const [, , uid, gid, , home, shell] = entry(root, "etc/passwd", "edge-agent")!.split(":");
    expect(Number(uid)).toBeGreaterThanOrEqual(100);
    expect(Number(uid)).toBeLessThan(1000);
    expect(Number(uid)).not.toBe(998); // taken by systemd-network
    expect([home, shell]).toEqual(["/var/lib/edge-agent", "/usr/sbin/nologin"]);
    expect(entry(root, "etc/group", "edge-agent")!.split(":")[2]).toBe(gid);
    expect(entry(root, "etc/group", "gpio")).toBe("gpio:x:997:pi,edge-agent");
    expect(entry(root, "etc/group", "dialout")).toBe("dialout:x:20:pi,edge-agent");
    expect(entry(root, "etc/group", "i2c")).toMatch(/^i2c:x:\d+:edge-agent$/);
    expect(entry(root, "etc/shadow", "edge-agent")).toMatch(/^edge-agent:!:\d+:/);
    expect(entry(root, "etc/gshadow", "i2c")).toBe("i2c:!::edge-agent");
    expect(entry(root, "etc/gshadow", "edge-agent")).toBe("edge-agent:!::");
    expect(entry(root, "etc/gshadow", "gpio")).toBe("gpio:!::pi,edge-agent");
    expect(mode(root, "etc/shadow")).toBe(0o640);
    expect(read(root, "etc/passwd-")).not.toContain("edge-agent"); // the previous version, as shadow-utils keeps it

    // Config and store.
    expect(read(root, "etc/edge-agent/config.yaml")).toBe(validConfigYaml());
    expect(mode(root, "etc/edge-agent/config.yaml")).toBe(0o640);
    expect(mode(root, "etc/edge-agent")).toBe(0o750);
    expect(mode(root, "var/lib/edge-agent")).toBe(0o750);
    if (asRoot) {
      expect(statSync(join(root, "etc/edge-agent/config.yaml"))).toMatchObject({ uid: 0, gid: Number(gid) });
      expect(statSync(join(root, "var/lib/edge-agent"))).toMatchObject({ uid: Number(uid), gid: Number(gid) });
    }

    // Unit, enabled the way systemctl enable does it.
    const unit = read(root, "etc/systemd/system/edge-agent.service");
    expect(unit).toContain("ExecStart=/usr/bin/node --max-semi-space-size=1 --max-old-space-size=24 --v8-pool-size=1 --single-threaded --no-memory-reducer /opt/edge-agent/bin/edge-agent.js run --config /etc/edge-agent/config.yaml");
    expect(unit).not.toContain("@NODE@");
    expect(mode(root, "etc/systemd/system/edge-agent.service")).toBe(0o644);
    const link = join(root, "etc/systemd/system/multi-user.target.wants/edge-agent.service");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("/etc/systemd/system/edge-agent.service");
    expect(r.warnings.filter((w) => !w.includes("not running as root"))).toEqual([]);
  });

  it("reinstalls idempotently, upgrading the program and keeping config, store and account", () => {
    const root = makeImageRoot();
    const cfg = writeConfig(validConfigYaml());
    install({ root, config: cfg, from: makePackage("0.1.0") });
    const accountsBefore = ["etc/passwd", "etc/group", "etc/shadow", "etc/gshadow"].map((f) => read(root, f));
    writeFileSync(join(root, "var/lib/edge-agent/store.db"), "buffered frames");

    const again = install({ root, config: cfg, from: makePackage("0.2.0") });
    expect(again.actions).toHaveLength(1);
    expect(again.actions[0]).toMatch(/^install program /);
    expect(again.config).toBe("unchanged");
    expect(read(root, "opt/edge-agent/bin/edge-agent.js")).toContain("0.2.0");
    expect(["etc/passwd", "etc/group", "etc/shadow", "etc/gshadow"].map((f) => read(root, f))).toEqual(accountsBefore);
    expect(read(root, "var/lib/edge-agent/store.db")).toBe("buffered frames");

    // Without --config the device's config is kept as it is.
    expect(install({ root, from: makePackage("0.2.0") }).config).toBe("unchanged");
  });

  it("reinstalls from the installed program itself without copying it onto itself", () => {
    const root = makeImageRoot();
    install({ root, config: writeConfig(validConfigYaml()), from: makePackage("0.3.0") });
    const r = install({ root, from: join(root, "opt/edge-agent") });
    expect(r.actions).toEqual([]);
    expect(read(root, "opt/edge-agent/bin/edge-agent.js")).toContain("0.3.0");
  });

  it("keeps a changed config on the device and puts the new one beside it, unless told to replace it", () => {
    const root = makeImageRoot();
    const pkg = makePackage();
    install({ root, config: writeConfig(validConfigYaml()), from: pkg });
    const edited = validConfigYaml("store: { maxBytes: 1000000 }");
    const kept = install({ root, config: writeConfig(edited), from: pkg });
    expect(kept.config).toBe("kept-existing");
    expect(read(root, "etc/edge-agent/config.yaml")).toBe(validConfigYaml());
    expect(read(root, "etc/edge-agent/config.yaml.new")).toBe(edited);
    expect(kept.warnings.join("\n")).toContain("--replace-config");

    const replaced = install({ root, config: writeConfig(edited), from: pkg, replaceConfig: true });
    expect(replaced.config).toBe("replaced");
    expect(read(root, "etc/edge-agent/config.yaml")).toBe(edited);
    expect(read(root, "etc/edge-agent/config.yaml.bak")).toBe(validConfigYaml());
    expect(mode(root, "etc/edge-agent/config.yaml.bak")).toBe(0o640);
  });

  it("refuses an invalid config with the field's path and changes nothing", () => {
    const root = makeImageRoot();
    const passwd = read(root, "etc/passwd");
    const bad = writeConfig(validConfigYaml().replace("mqtt://127.0.0.1:1883", "http://broker"));
    let err: unknown;
    try {
      install({ root, config: bad, from: makePackage() });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => i.path)).toEqual(["uplink.brokers[0].url"]);
    expect(read(root, "etc/passwd")).toBe(passwd);
    expect(existsSync(join(root, "etc/edge-agent"))).toBe(false);
    expect(existsSync(join(root, "opt/edge-agent"))).toBe(false);
  });

  it("requires a config for the first install", () => {
    expect(() => install({ root: makeImageRoot(), from: makePackage() })).toThrow(/pass --config FILE/);
  });

  it("looks up secret files inside the image and leaves environment secrets to the service", () => {
    const root = makeImageRoot();
    const pkg = makePackage();
    const withFile = validConfigYaml().replace("    - url: mqtt://127.0.0.1:1883", "    - url: mqtts://127.0.0.1:8883\n  username: gw\n  password: { file: /etc/edge-agent/mqtt-password }");
    expect(() => install({ root, config: writeConfig(withFile), from: pkg })).toThrow(/secret file \/etc\/edge-agent\/mqtt-password does not exist in/);
    mkdirSync(join(root, "etc/edge-agent"), { recursive: true });
    writeFileSync(join(root, "etc/edge-agent/mqtt-password"), "s3cret\n");
    expect(install({ root, config: writeConfig(withFile), from: pkg }).config).toBe("written");

    const root2 = makeImageRoot();
    const withEnv = withFile.replace("{ file: /etc/edge-agent/mqtt-password }", "{ env: EDGE_TEST_UNSET_SECRET_42 }");
    const r = install({ root: root2, config: writeConfig(withEnv), from: pkg });
    expect(r.warnings.join("\n")).toContain("set EDGE_TEST_UNSET_SECRET_42 in the service's environment");
  });

  it("--dry-run prints the plan and changes nothing", () => {
    const root = makeImageRoot();
    const before = read(root, "etc/group");
    const r = install({ root, config: writeConfig(validConfigYaml()), from: makePackage(), dryRun: true });
    expect(r.actions.some((a) => a.startsWith("write ") && a.includes("etc/edge-agent/config.yaml (640)"))).toBe(true);
    expect(r.actions.some((a) => a.startsWith("link ") && a.includes("multi-user.target.wants"))).toBe(true);
    expect(read(root, "etc/group")).toBe(before);
    expect(existsSync(join(root, "etc/edge-agent"))).toBe(false);
    expect(existsSync(join(root, "etc/systemd"))).toBe(false);
    expect(existsSync(join(root, "opt"))).toBe(false);
  });

  it("warns when the image's CPU differs from the one the native addons were built for", () => {
    const root = makeImageRoot();
    // An ELF header claiming AArch64 (e_machine 0xB7), or x86-64 when the tests themselves run on arm64.
    const machine = process.arch === "arm64" ? 0x3e : 0xb7;
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[4] = 2;
    elf[5] = 1;
    elf.writeUInt16LE(machine, 18);
    writeFileSync(join(root, "usr/bin/env"), elf);
    const r = install({ root, config: writeConfig(validConfigYaml()), from: makePackage() });
    expect(r.warnings.join("\n")).toMatch(/the image is (arm64|x64) but the native addons/);
  });
});

describe("uninstall", () => {
  it("removes program and unit, keeps config, store and account", () => {
    const root = makeImageRoot();
    install({ root, config: writeConfig(validConfigYaml()), from: makePackage() });
    writeFileSync(join(root, "var/lib/edge-agent/store.db"), "buffered frames");
    uninstall({ root });
    expect(existsSync(join(root, "opt/edge-agent"))).toBe(false);
    expect(existsSync(join(root, "etc/systemd/system/edge-agent.service"))).toBe(false);
    expect(() => lstatSync(join(root, "etc/systemd/system/multi-user.target.wants/edge-agent.service"))).toThrow();
    expect(read(root, "etc/edge-agent/config.yaml")).toBe(validConfigYaml());
    expect(read(root, "var/lib/edge-agent/store.db")).toBe("buffered frames");
    expect(entry(root, "etc/passwd", "edge-agent")).toBeDefined();
    expect(uninstall({ root }).actions).toEqual([]); // a second uninstall has nothing left to do
  });

  it("--purge also removes config, store and the account, leaving other members of shared groups", () => {
    const root = makeImageRoot();
    install({ root, config: writeConfig(validConfigYaml()), from: makePackage() });
    uninstall({ root, purge: true });
    expect(existsSync(join(root, "etc/edge-agent"))).toBe(false);
    expect(existsSync(join(root, "var/lib/edge-agent"))).toBe(false);
    for (const f of ["etc/passwd", "etc/shadow"]) expect(read(root, f)).not.toContain("edge-agent");
    expect(entry(root, "etc/group", "edge-agent")).toBeUndefined();
    expect(entry(root, "etc/group", "gpio")).toBe("gpio:x:997:pi");
    expect(entry(root, "etc/group", "i2c")).toMatch(/^i2c:x:\d+:$/);
    expect(entry(root, "etc/gshadow", "dialout")).toBe("dialout:*::pi");
  });
});

describe("install on a running device", () => {
  it("uses groupadd/useradd/usermod and systemctl instead of editing the files", () => {
    const root = makeImageRoot();
    mkdirSync(join(root, "run/systemd/system"), { recursive: true }); // systemd is running
    const calls: string[] = [];
    const runner: CommandRunner = (cmd, args) => {
      calls.push([cmd, ...args].join(" "));
      return { status: 0, stdout: "", stderr: "" };
    };
    const passwd = read(root, "etc/passwd");
    install({ root, live: true, runner, config: writeConfig(validConfigYaml()), from: makePackage() });
    expect(calls).toEqual([
      "groupadd --system i2c",
      "useradd --system --user-group --home-dir /var/lib/edge-agent --no-create-home --shell /usr/sbin/nologin --comment edge-agent edge-agent",
      "usermod --append --groups gpio,i2c,dialout edge-agent",
      "systemctl daemon-reload",
      "systemctl restart edge-agent.service",
    ]);
    expect(read(root, "etc/passwd")).toBe(passwd); // the tools own the account files on a live system
    expect(existsSync(join(root, "etc/systemd/system/multi-user.target.wants/edge-agent.service"))).toBe(false); // dangling in a temp root
    expect(lstatSync(join(root, "etc/systemd/system/multi-user.target.wants/edge-agent.service")).isSymbolicLink()).toBe(true);

    calls.length = 0;
    uninstall({ root, live: true, runner });
    expect(calls).toEqual(["systemctl disable --now edge-agent.service", "systemctl daemon-reload"]);
  });

  it("reports a failing system tool", () => {
    const root = makeImageRoot();
    const runner: CommandRunner = (cmd) => (cmd === "useradd" ? { status: 9, stdout: "", stderr: "useradd: user 'edge-agent' already exists" } : { status: 0, stdout: "", stderr: "" });
    expect(() => install({ root, live: true, runner, config: writeConfig(validConfigYaml()), from: makePackage() })).toThrow(/useradd .* failed \(9\): useradd: user 'edge-agent' already exists/);
  });
});

describe("edge-agent install (command line)", () => {
  it("exits 2 with the field path for an invalid config, 0 after a good install", async () => {
    const { main } = await import("../../agent/cli/main.js");
    const root = makeImageRoot();
    const errors: string[] = [];
    const origErr = console.error;
    const origLog = console.log;
    console.error = (...a: unknown[]) => void errors.push(a.join(" "));
    console.log = () => {};
    try {
      const bad = writeConfig(validConfigYaml().replace("type: sht3x", "type: sht99"));
      expect(await main(["install", "--root", root, "--config", bad])).toBe(2);
      expect(errors.join("\n")).toContain("streams[0].sensor.type");
      expect(await main(["install", "--config", bad])).toBe(2); // no --root
      expect(await main(["install", "--root", root, "--config", writeConfig(validConfigYaml()), "--from", makePackage()])).toBe(0);
      expect(readFileSync(join(root, "etc/edge-agent/config.yaml"), "utf8")).toBe(validConfigYaml());
      expect(await main(["uninstall", "--root", root])).toBe(0);
      expect(existsSync(join(root, "opt/edge-agent"))).toBe(false);
    } finally {
      console.error = origErr;
      console.log = origLog;
    }
  });
});
