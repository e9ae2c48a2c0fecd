// `edge-agent install` / `uninstall`: one repeatable command for a mounted SD-card image or a running device.
import { existsSync, lstatSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { ensureImageAccount, ensureLiveAccount, removeImageAccount, removeLiveAccount } from "./accounts.js";
import { installConfig, prepareConfig, type ConfigOutcome } from "./config-file.js";
import { isLiveRoot, layout, under } from "./layout.js";
import { Ops, type CommandRunner, type Owner } from "./ops.js";
import { imageArch, ownPackageRoot, programEntries } from "./program.js";
import { installUnit, removeUnit } from "./unit.js";

export interface InstallOptions {
  root: string;
  /** Config file on this machine; required for a first install, optional on reinstall. */
  config?: string;
  replaceConfig?: boolean;
  dryRun?: boolean;
  /** The edge-agent package to install (default: the one running). Point it at a tree built for the target's CPU. */
  from?: string;
  /** The node binary on the device. */
  node?: string;
  /** On a live root: do not (re)start the service. */
  noStart?: boolean;
  runner?: CommandRunner;
  /** Treat the root as the running system (useradd, systemctl); default: only when it is "/". */
  live?: boolean;
}

export interface InstallResult {
  actions: string[];
  warnings: string[];
  config: ConfigOutcome;
  owner: Owner | undefined;
}

function sameDir(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function systemdRunning(root: string): boolean {
  return existsSync(under(root, "/run/systemd/system"));
}

export function install(opts: InstallOptions): InstallResult {
  const root = resolve(opts.root);
  if (!existsSync(under(root, "/etc"))) throw new Error(`${root} does not look like a root filesystem (no etc/)`);
  const live = opts.live ?? isLiveRoot(root);
  const ops = new Ops(opts.dryRun ?? false, opts.runner);
  const from = resolve(opts.from ?? ownPackageRoot());
  const node = opts.node ?? layout.defaultNode;
  const entries = programEntries(from);

  const configText = prepareConfig(root, opts.config, (w) => ops.warn(w));
  const owner = live ? ensureLiveAccount(ops, root) : ensureImageAccount(ops, root);
  const config = installConfig(ops, root, configText, owner, opts.replaceConfig ?? false);

  const programDir = under(root, layout.programDir);
  if (!sameDir(from, programDir)) ops.copyDir(from, programDir, entries);
  ops.mkdir(under(root, layout.dataDir), 0o750, owner);
  installUnit(ops, root, from, node);

  if (!lstatExists(under(root, node))) {
    ops.warn(`${node} is missing on the target: install Node.js 20 or later there (docs/deploy.md), or pass --node PATH`);
  }
  const arch = imageArch(root);
  if (!live && arch && arch !== process.arch && entries.some((e) => e.startsWith("node_modules"))) {
    ops.warn(
      `the image is ${arch} but the native addons being copied were built for ${process.arch}: pass --from a package built for ${arch}, ` +
        `or run \`npm rebuild\` in ${layout.programDir} on the device (docs/deploy.md)`,
    );
  }
  if (process.getuid?.() !== 0 && !opts.dryRun) ops.warn("not running as root: file ownership was not set");

  if (live && systemdRunning(root)) {
    ops.run("systemctl", ["daemon-reload"]);
    if (!opts.noStart) ops.run("systemctl", ["restart", layout.unitName]);
  }
  return { actions: ops.actions, warnings: ops.warnings, config, owner };
}

function lstatExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export interface UninstallOptions {
  root: string;
  /** Also remove the config, the store and the service account. */
  purge?: boolean;
  dryRun?: boolean;
  runner?: CommandRunner;
  live?: boolean;
}

export function uninstall(opts: UninstallOptions): { actions: string[]; warnings: string[] } {
  const root = resolve(opts.root);
  if (!existsSync(under(root, "/etc"))) throw new Error(`${root} does not look like a root filesystem (no etc/)`);
  const live = opts.live ?? isLiveRoot(root);
  const ops = new Ops(opts.dryRun ?? false, opts.runner);
  if (live && systemdRunning(root)) ops.run("systemctl", ["disable", "--now", layout.unitName], { mayFail: true });
  removeUnit(ops, root);
  ops.remove(under(root, layout.programDir));
  if (opts.purge) {
    ops.remove(under(root, layout.configDir));
    ops.remove(under(root, layout.dataDir));
    if (live) removeLiveAccount(ops, root);
    else removeImageAccount(ops, root);
  }
  if (live && systemdRunning(root)) ops.run("systemctl", ["daemon-reload"]);
  return { actions: ops.actions, warnings: ops.warnings };
}
