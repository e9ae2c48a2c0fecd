// The shipped build bundles the pure-JavaScript dependencies and leaves the native addons (and pino) to node_modules:
// the bundle must still run, CommonJS packages and all, and the external imports must still resolve.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { agentBundleOptions, BUNDLED_PACKAGES } from "../../deploy/esbuild-options.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the agent's bundle options", () => {
  it("bundle zod, yaml, mqtt and fft.js, keep better-sqlite3 and pino external, and the result runs", async () => {
    // The entry stands for our code (outside node_modules); the bundle goes under the repository's node_modules so
    // its external imports resolve there when it runs.
    const entry = join(mkdtempSync(join(tmpdir(), "bundle-entry-")), "entry.ts");
    const cache = join(root, "node_modules", ".cache");
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, "bundle-test-"));
    writeFileSync(
      entry,
      [
        'import { z } from "zod";',
        'import { parse } from "yaml";',
        'import mqtt from "mqtt";',
        'import FFT from "fft.js";',
        'import Database from "better-sqlite3";',
        'import { pino } from "pino";',
        "const cfg = z.object({ port: z.number().int() }).parse(parse('port: 1883'));",
        "const db = new Database(':memory:');",
        "const one = db.prepare('SELECT 1 AS one').get();",
        "const client = mqtt.connect('mqtt://127.0.0.1:9', { manualConnect: true });",
        "console.log(JSON.stringify({ port: cfg.port, one, fft: new FFT(8).size, client: typeof client.publish, log: typeof pino().info }));",
      ].join("\n"),
    );
    const outfile = join(dir, "out.mjs");
    const result = await build({ ...agentBundleOptions, entryPoints: [entry], outfile, nodePaths: [join(root, "node_modules")], metafile: true, logLevel: "error" });
    const inputs = Object.keys(result.metafile!.inputs);
    for (const pkg of BUNDLED_PACKAGES) expect(inputs.some((f) => f.includes(`node_modules/${pkg}/`))).toBe(true);
    expect(inputs.some((f) => f.includes("node_modules/better-sqlite3/"))).toBe(false);
    expect(inputs.some((f) => f.includes("node_modules/pino/"))).toBe(false);
    const out = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: "utf8" }));
    expect(out).toEqual({ port: 1883, one: { one: 1 }, fft: 8, client: "function", log: "function" });
  });
});
