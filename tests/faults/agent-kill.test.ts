// The agent process is SIGKILLed at random points 20 times and restarted on the same store: every sample it
// had committed before a kill reaches the consumer, and the only samples missing are ones that were still
// being batched (not yet committed) when it died, which is the documented loss bound (docs/store.md).
import { afterEach, beforeAll, expect, it } from "vitest";
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Mosquitto } from "../helpers/mosquitto.js";
import { Subscriber } from "./subscriber.js";
import { ArrivedSamples } from "./counter.js";
import { tempDir } from "../store/helpers.js";
import type { ProducerArgs } from "./fixtures/producer.js";

const SOURCE = fileURLToPath(new URL("./fixtures/producer.ts", import.meta.url));
// Bundled once with esbuild so 21 process starts do not each pay for on-the-fly TypeScript compilation. It lives
// under node_modules/.cache so its bare imports resolve to the project's packages.
const PRODUCER = fileURLToPath(new URL("../../node_modules/.cache/edge-agent-faults/producer.mjs", import.meta.url));

beforeAll(async () => {
  await build({ entryPoints: [SOURCE], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", outfile: PRODUCER, logLevel: "error" });
});
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Run {
  start: number;
  committed: number;
}

/** Runs the producer until `stopAfterCommits` commit lines (then SIGKILL), or until `until` resolves. */
async function runProducer(args: ProducerArgs, stopAfterCommits: number): Promise<Run> {
  const child = spawn(process.execPath, [PRODUCER, JSON.stringify(args)], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const run: Run = { start: -1, committed: -1 };
  let commits = 0;
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve) => {
    lines.on("line", (line) => {
      const [what, n] = line.split(" ");
      if (what === "start") run.start = Number(n);
      if (what === "commit") {
        run.committed = Number(n);
        commits++;
      }
      if (run.start >= 0 && commits >= stopAfterCommits) {
        child.kill("SIGKILL");
        resolve();
      }
    });
    child.once("exit", () => resolve());
  });
  await exited;
  lines.close();
  return run;
}

it("loses nothing committed across 20 SIGKILLs of the agent", { timeout: 240_000 }, async () => {
  const m = await Mosquitto.start();
  cleanups.push(() => m.stop());
  const sub = await Subscriber.connect(m.url);
  cleanups.push(() => sub.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  const args: ProducerArgs = { storePath: join(t.dir, "store.db"), brokerUrl: m.url, t0: Date.now(), periodMs: 5, flushIntervalMs: 100, batch: 20, maxAgeMs: 200 };
  const arrived = new ArrivedSamples(sub);
  const runs: Run[] = [];
  for (let k = 0; k < 20; k++) {
    // A random point: after 0 to 7 commits of this run (0: killed right after start).
    runs.push(await runProducer(args, Math.floor(Math.random() * 8)));
  }
  // A last run delivers the backlog of the killed ones; it is stopped once everything committed has arrived.
  const child = spawn(process.execPath, [PRODUCER, JSON.stringify(args)], { stdio: ["ignore", "pipe", "inherit"] });
  cleanups.push(() => void child.kill("SIGKILL"));
  for (const r of runs) if (r.committed >= r.start) await arrived.all(r.start, r.committed);
  // The last run's own data arrives too, beside what the killed runs left behind.
  const lastStart = runs[runs.length - 1].start;
  await sub.until(() => {
    arrived.update();
    for (const i of arrived.indices) if (i > lastStart) return true;
    return false;
  });

  // Everything missing lies between a run's last commit and the next run's start: uncommitted at the kill.
  const max = Math.max(...arrived.indices);
  const windows = runs.map((r, i) => ({ from: Math.max(r.committed, r.start - 1) + 1, to: (runs[i + 1]?.start ?? Infinity) - 1 }));
  const missingOutside: number[] = [];
  for (let i = runs[0].start; i <= max; i++) {
    if (arrived.indices.has(i)) continue;
    if (!windows.some((w) => i >= w.from && i <= w.to)) missingOutside.push(i);
  }
  expect(missingOutside).toEqual([]);
  expect(runs.filter((r) => r.committed >= 0).length).toBeGreaterThan(5);
});
