// Moves an unreadable database (and its WAL/SHM companions) aside, so a fresh one can take its place.
import { existsSync, renameSync } from "node:fs";

/** Returns the new path of the main file. The timestamp keeps every quarantined copy for later inspection. */
export function quarantineDatabase(path: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  let target = `${path}.corrupt-${stamp}`;
  for (let i = 1; existsSync(target); i++) target = `${path}.corrupt-${stamp}-${i}`;
  for (const suffix of ["-wal", "-shm"]) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  if (existsSync(path)) renameSync(path, target);
  return target;
}

const CORRUPTION_CODES = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_IOERR", "SQLITE_CANTOPEN"]);

/** True for errors after which the file cannot be trusted (as opposed to a full disk, which is handled by drops). */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? "";
  return CORRUPTION_CODES.has(code) || [...CORRUPTION_CODES].some((c) => code.startsWith(c + "_"));
}

export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? "";
  return code === "SQLITE_FULL" || code.startsWith("SQLITE_FULL_");
}
