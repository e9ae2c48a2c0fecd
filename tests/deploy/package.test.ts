// The release tarball: what `npm pack` ships, and that it installs and runs. Packs the dist/ that `npm ci` built
// (--ignore-scripts: rebuilding here would swap dist/ under other tests running at the same time).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { cleanupTemp, repoRoot, tempDir } from "./support/fake-root.js";

const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };

let tarball: string;
let files: string[];

beforeAll(() => {
  expect(existsSync(join(repoRoot, "dist/agent/cli/main.js")), "dist/ is missing: run `npm run build` (npm ci does)").toBe(true);
  const out = tempDir("edge-pack-");
  const [info] = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", out], repoRoot)) as { filename: string; files: { path: string }[] }[];
  tarball = join(out, info.filename);
  files = info.files.map((f) => f.path);
}, 60_000);
afterAll(cleanupTemp);

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js")).map((f) => join(dir, f));
}

describe("the build", () => {
  it("bundles the pure-JavaScript dependencies; the native addons and pino stay imports from node_modules", () => {
    const js = jsFiles(join(repoRoot, "dist"));
    expect(js.length).toBeGreaterThan(0);
    // What went into the bundles, from their source maps (the minified code keeps no marker of its modules).
    const sources = new Set(js.flatMap((f) => (JSON.parse(readFileSync(f + ".map", "utf8")) as { sources: string[] }).sources));
    const packageIn = (pkg: string): boolean => [...sources].some((s) => s.includes(`node_modules/${pkg}/`));
    for (const pkg of ["zod", "yaml", "mqtt", "fft.js"]) expect(packageIn(pkg), pkg).toBe(true);
    for (const pkg of ["better-sqlite3", "pino", "i2c-bus", "onoff", "serialport", "@serialport/stream"]) expect(packageIn(pkg), pkg).toBe(false);
    const code = js.map((f) => readFileSync(f, "utf8")).join("\n");
    for (const pkg of ["better-sqlite3", "pino", "i2c-bus", "onoff"]) expect(code).toMatch(new RegExp(`(from|import\\()\\s*"${pkg}"`));
  });
});

describe("npm pack", () => {
  it("ships the CLI, the bundle, the codec export and the deploy files, and no tests or sources", () => {
    for (const f of ["package.json", "bin/edge-agent.js", "dist/agent/cli/main.js", "dist/agent/codec/index.js", "deploy/edge-agent.service", "deploy/build.mjs"]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith("tests/") || f.startsWith("node_modules/") || f.startsWith("agent/"))).toEqual([]);
  });

  it("gives a tarball that installs with the already-downloaded dependencies and runs", () => {
    // Unpacked the way npm installs a tarball, its dependencies taken from this checkout's node_modules: no
    // registry, no network, and the same check of bin, exports and files.
    const dir = tempDir("edge-npmi-");
    const installed = join(dir, "consumer/node_modules/edge-agent");
    mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
    symlinkSync(join(repoRoot, "node_modules"), join(installed, "node_modules"));
    const shipped = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { bin: Record<string, string> };
    const version = spawnSync(process.execPath, [join(installed, shipped.bin["edge-agent"]), "--version"], { encoding: "utf8" });
    expect(version.stderr).toBe("");
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = spawnSync(process.execPath, [join(installed, shipped.bin["edge-agent"]), "install", "--help"], { encoding: "utf8" });
    expect(help.stdout).toContain("edge-agent install --root DIR");
    const codec = spawnSync(process.execPath, ["--input-type=module", "-e", "const m = await import('edge-agent/codec'); console.log(typeof m.decodeFrame)"], { cwd: join(dir, "consumer"), encoding: "utf8" });
    expect(codec.stdout.trim()).toBe("function");
    // On the device (`npm install --omit=dev`, no esbuild) the prepare script keeps the shipped dist/.
    const build = spawnSync(process.execPath, [join(installed, "deploy/build.mjs")], { encoding: "utf8", cwd: installed });
    expect(build.status).toBe(0);
    expect(build.stdout).toContain("no sources in this package; using the prebuilt dist/");
  }, 60_000);
});
