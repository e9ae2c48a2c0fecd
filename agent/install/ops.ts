// Every change the installer makes goes through here, so --dry-run prints the same plan it would carry out.
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { spawnSync } from "node:child_process";

export interface Owner {
  uid: number;
  gid: number;
}

export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a system tool (useradd, systemctl). Injected so tests of the live-system path never touch the host. */
export type CommandRunner = (cmd: string, args: string[]) => CommandResult;

export const runCommand: CommandRunner = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.error) return { status: 127, stdout: "", stderr: r.error.message };
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
};

export class InstallStepError extends Error {
  override name = "InstallStepError";
}

export class Ops {
  readonly actions: string[] = [];
  readonly warnings: string[] = [];
  private readonly canChown = process.getuid?.() === 0;

  constructor(
    readonly dryRun: boolean,
    private readonly runner: CommandRunner = runCommand,
  ) {}

  warn(text: string): void {
    this.warnings.push(text);
  }

  mkdir(path: string, mode: number, owner?: Owner): void {
    if (existsSync(path)) {
      if (!statSync(path).isDirectory()) throw new InstallStepError(`${path} exists and is not a directory`);
      return;
    }
    this.actions.push(`create directory ${path} (${mode.toString(8)})`);
    if (this.dryRun) return;
    mkdirSync(path, { recursive: true, mode });
    chmodSync(path, mode);
    this.chown(path, owner);
  }

  /** Writes atomically (temp file + rename) with the given mode, so a power cut leaves the old or the new file. */
  writeFile(path: string, content: string, mode: number, owner?: Owner): void {
    this.actions.push(`write ${path} (${mode.toString(8)})`);
    if (this.dryRun) return;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.edge-agent-tmp`;
    writeFileSync(tmp, content, { mode });
    chmodSync(tmp, mode);
    this.chown(tmp, owner);
    renameSync(tmp, path);
  }

  copyDir(from: string, to: string, entries: string[]): void {
    this.actions.push(`install program ${to} (${entries.length} entries from ${from})`);
    if (this.dryRun) return;
    // Built beside the old copy and swapped in by rename, so a running service keeps a whole program.
    const next = `${to}.new`;
    const old = `${to}.old`;
    rmSync(next, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
    mkdirSync(next, { recursive: true, mode: 0o755 });
    for (const e of entries) cpSync(`${from}/${e}`, `${next}/${e}`, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    chmodSync(next, 0o755);
    if (existsSync(to)) renameSync(to, old);
    renameSync(next, to);
    rmSync(old, { recursive: true, force: true });
  }

  /** Points `path` at `target` unless it already does (the form systemctl enable uses). */
  symlink(target: string, path: string): void {
    let current: string | undefined;
    try {
      if (lstatSync(path).isSymbolicLink()) current = readlinkSync(path);
      else current = "(not a symlink)";
    } catch {
      current = undefined;
    }
    if (current === target) return;
    this.actions.push(`link ${path} -> ${target}`);
    if (this.dryRun) return;
    mkdirSync(dirname(path), { recursive: true });
    if (current !== undefined) rmSync(path, { force: true });
    symlinkSync(target, path);
  }

  remove(path: string): void {
    try {
      lstatSync(path);
    } catch {
      return;
    }
    this.actions.push(`remove ${path}`);
    if (!this.dryRun) rmSync(path, { recursive: true, force: true });
  }

  run(cmd: string, args: string[], opts: { mayFail?: boolean } = {}): CommandResult {
    this.actions.push(`run ${[cmd, ...args].join(" ")}`);
    if (this.dryRun) return { status: 0, stdout: "", stderr: "" };
    const r = this.runner(cmd, args);
    if (r.status !== 0 && !opts.mayFail) throw new InstallStepError(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr.trim()}`);
    return r;
  }

  /** Ownership needs root; an unprivileged dry run or test still gets the files and modes right. */
  private chown(path: string, owner?: Owner): void {
    if (owner && this.canChown) chownSync(path, owner.uid, owner.gid);
  }
}
