// What makes up the installed program: the package's own files plus its production dependencies.
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

interface PackageJson {
  name?: string;
  version?: string;
  files?: string[];
}

/** The edge-agent package this code runs from (found by walking up, so it works from source, dist/ and a bundle). */
export function ownPackageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pj = join(dir, "package.json");
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, "utf8")) as PackageJson).name === "edge-agent") return dir;
    if (dirname(dir) === dir) throw new Error(`no edge-agent package.json above ${from}`);
  }
}

export function readPackage(dir: string): PackageJson {
  const pj = join(dir, "package.json");
  if (!existsSync(pj)) throw new Error(`${dir} is not an edge-agent package: no package.json`);
  const pkg = JSON.parse(readFileSync(pj, "utf8")) as PackageJson;
  if (pkg.name !== "edge-agent") throw new Error(`${dir} is not an edge-agent package (name is ${JSON.stringify(pkg.name)})`);
  return pkg;
}

/**
 * The top-level node_modules entries a production install needs: package-lock.json marks development-only
 * packages with dev: true, so everything else is runtime (vitest, typescript, esbuild stay on the laptop).
 * Without a lockfile (an unpacked npm tarball) the whole node_modules is taken as it is.
 */
export function productionModules(dir: string): string[] {
  if (!existsSync(join(dir, "node_modules"))) return [];
  const lockPath = join(dir, "package-lock.json");
  if (!existsSync(lockPath)) return ["node_modules"];
  const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { packages?: Record<string, { dev?: boolean }> };
  const out: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key.startsWith("node_modules/") || entry.dev) continue;
    if (key.slice("node_modules/".length).includes("/node_modules/")) continue; // copied with its parent
    if (existsSync(join(dir, key))) out.push(key); // optional packages for other platforms are absent
  }
  return out;
}

/** Entries copied to /opt/edge-agent: package.json, the lockfile, the package's `files`, production modules. */
export function programEntries(dir: string): string[] {
  const pkg = readPackage(dir);
  const own = ["package.json", "package-lock.json", ...(pkg.files ?? ["bin", "dist"])].filter((e) => existsSync(join(dir, e)));
  return [...new Set([...own, ...productionModules(dir)])];
}

const elfMachines: Record<number, string> = { 0x03: "ia32", 0x28: "arm", 0x3e: "x64", 0xb7: "arm64", 0xf3: "riscv64" };

/** The CPU architecture (in process.arch terms) of an image, read from the ELF header of one of its programs. */
export function imageArch(root: string): string | undefined {
  for (const p of ["usr/bin/env", "bin/sh", "usr/bin/dash", "bin/busybox"]) {
    let fd: number | undefined;
    try {
      fd = openSync(join(root, p), "r");
      const h = Buffer.alloc(20);
      if (readSync(fd, h, 0, 20, 0) < 20 || h.readUInt32BE(0) !== 0x7f454c46) continue;
      const machine = h[5] === 2 ? h.readUInt16BE(18) : h.readUInt16LE(18);
      return elfMachines[machine] ?? `elf-machine-${machine}`;
    } catch {
      continue;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return undefined;
}
