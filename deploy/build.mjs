#!/usr/bin/env node
// `npm run build`: bundles the agent into dist/ with esbuild. Our own code and its pure-JavaScript dependencies
// become a few minified ES modules (fast start on an SD card, no TypeScript at run time, less resident memory); the
// packages with native addons stay imports resolved from node_modules, so they load the binaries built for the
// device (deploy/esbuild-options.mjs says which and why).
// Type checking is `npm run typecheck`; esbuild only strips types.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { agentBundleOptions } from "./esbuild-options.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

const prebuilt = existsSync(join(dist, "agent", "cli", "main.js"));
// An unpacked release tarball holds dist/ but no sources: `npm install --omit=dev` on the device keeps it.
if (!existsSync(join(root, "agent", "cli", "main.ts")) && prebuilt) {
  console.log("build: no sources in this package; using the prebuilt dist/");
  process.exit(0);
}
let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  if (prebuilt) {
    console.log("build: esbuild is not installed; using the prebuilt dist/");
    process.exit(0);
  }
  console.error("build: esbuild is not installed and there is no prebuilt dist/ (run npm ci with dev dependencies)");
  process.exit(1);
}

const rel = (...p) => join(root, ...p);
const commandsDir = rel("agent", "cli", "commands");
const entryPoints = [
  rel("agent", "cli", "main.ts"),
  // Commands are loaded on demand by main.ts; as entry points they keep their own files under dist/.
  ...readdirSync(commandsDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).map((f) => join(commandsDir, f)),
  rel("agent", "codec", "index.ts"),
  rel("agent", "index.ts"),
].filter((p) => existsSync(p));

// Built beside dist/ and swapped in, so a failed build leaves the previous one whole.
const next = join(root, "dist.next");
rmSync(next, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints,
  outbase: root,
  outdir: next,
  ...agentBundleOptions,
  splitting: true,
  // Shared chunks sit as deep as the entry points, so paths built from import.meta.url mean the same in both.
  chunkNames: "agent/chunks/[name]-[hash]",
  sourcemap: true,
  logLevel: "warning",
  metafile: true,
}).catch(() => {
  rmSync(next, { recursive: true, force: true });
  process.exit(1); // esbuild has printed the errors
});
rmSync(dist, { recursive: true, force: true });
renameSync(next, dist);
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".js"));
const bytes = files.reduce((n, f) => n + result.metafile.outputs[f].bytes, 0);
console.log(`build: ${entryPoints.length} entry points -> ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB in dist/`);

// Type declarations for the consumers' entry (`edge-agent/codec`); esbuild only strips types.
const tsc = rel("node_modules", "typescript", "bin", "tsc");
if (existsSync(tsc)) {
  const r = spawnSync(process.execPath, [tsc, "-p", rel("tsconfig.types.json")], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
