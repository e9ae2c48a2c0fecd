#!/usr/bin/env node
// Start-up time of the CLI from the esbuild bundle (npm run build) against plain per-file tsc output, run
// alternately in this one process so machine load hits both alike. Reports medians and their ratio.
// Usage: npm run build && node deploy/bench-startup.mjs [runs=15]
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 15);
const work = mkdtempSync(join(tmpdir(), "edge-bench-startup-"));

function variant(name) {
  const dir = join(work, name);
  for (const e of ["package.json", "bin", "config"]) cpSync(join(root, e), join(dir, e), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

try {
  const bundled = variant("esbuild");
  // The dist/ of `npm run build` (not rebuilt here: other processes may be using it).
  cpSync(join(root, "dist"), join(bundled, "dist"), { recursive: true });

  const perFile = variant("tsc");
  // tsc emits even when other files have type errors; only the output matters here.
  spawnSync(join(root, "node_modules", ".bin", "tsc"), ["-p", join(root, "tsconfig.build.json"), "--outDir", join(perFile, "dist"), "--tsBuildInfoFile", join(work, "tsbuildinfo"), "--declaration", "false", "--sourceMap", "false"], { stdio: "ignore" });

  const count = (d) => readdirSync(join(d, "dist"), { recursive: true }).filter((f) => String(f).endsWith(".js")).length;
  console.log(`modules: esbuild ${count(bundled)} files, tsc ${count(perFile)} files; ${runs} runs each, alternating`);
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log("| command | esbuild median ms | tsc median ms | tsc/esbuild |");
  console.log("|---|---|---|---|");
  for (const args of [["--version"], ["--help"], ["check", "--config", join(root, "config", "demo.yaml")]]) {
    const t = { esbuild: [], tsc: [] };
    for (let r = 0; r < runs; r++) {
      for (const [k, dir] of [["esbuild", bundled], ["tsc", perFile]]) {
        const start = process.hrtime.bigint();
        spawnSync(process.execPath, [join(dir, "bin", "edge-agent.js"), ...args], { stdio: "ignore" });
        t[k].push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    const [e, p] = [median(t.esbuild), median(t.tsc)];
    console.log(`| ${args[0]} | ${e.toFixed(0)} | ${p.toFixed(0)} | ${(p / e).toFixed(2)} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
