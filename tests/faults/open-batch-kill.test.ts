// SIGKILL while a batch is far from full: the samples already checkpointed survive, and nothing is duplicated.
import Database from "better-sqlite3";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decodeFrame } from "../../agent/codec/index.js";
import { silentLogger } from "../../agent/log.js";
import { openFrameStore } from "../../agent/store/frame-store.js";
import { decodeOpenBundle } from "../../agent/store/open-bundle.js";
import { collect, killStrays, spawnCli, waitForOutput } from "../helpers/cli.js";

afterEach(killStrays);

/** Samples of the stream in the agent's checkpoint, read through a second connection as the agent runs. */
function checkpointed(db: Database.Database, stream: string): number {
  // The batch never closes in this test, so every part of the stream in the rows is still open.
  const rows = db.prepare("SELECT bytes FROM open_bundles").all() as { bytes: Uint8Array }[];
  return rows.flatMap((r) => decodeOpenBundle(r.bytes).parts).reduce((n, p) => n + (p.stream === stream ? p.samples : 0), 0);
}

describe("power cut while batching", () => {
  it("loses at most the last flush interval of a batch that never closed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edge-cut-"));
    const cfg = join(dir, "config.yaml");
    writeFileSync(
      cfg,
      `
gateway: { id: cut-gw, dataDir: ${dir} }
clock: { trustWallClock: true }
buses: { i2c: [ { name: sim, simulate: true } ] }
streams:
  - name: room/t
    sensor: { type: sht3x, bus: sim, address: 0x44, intervalMs: 20 }
    codec: { batch: 100000, maxAgeMs: 3600000 }
store: { path: store.db, flushIntervalMs: 200 }
uplink: { brokers: [ { url: "mqtt://127.0.0.1:1" } ] }
`,
    );
    const child = spawnCli(["run", "--config", cfg]);
    const done = collect(child);
    await waitForOutput(child, /agent running/);
    const db = new Database(join(dir, "store.db"), { readonly: true, fileMustExist: true });
    let seen = 0;
    for (let i = 0; i < 600 && seen < 25; i++) {
      await new Promise((r) => setTimeout(r, 50)); // polling another process's database: there is no event to await
      seen = checkpointed(db, "room/t");
    }
    db.close();
    expect(seen).toBeGreaterThanOrEqual(25);
    child.kill("SIGKILL");
    expect((await done).signal).toBe("SIGKILL");

    const store = openFrameStore({ path: join(dir, "store.db"), maxBytes: 1 << 30, flushIntervalMs: 1000, commitEveryEvent: true, log: silentLogger() });
    const frames = store.fetch(0, 1000).filter((f) => f.stream === "room/t").map((f) => decodeFrame(f.bytes));
    store.close();
    const times = frames.flatMap((d) => Array.from(d.times));
    expect(times.length).toBeGreaterThanOrEqual(seen);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
  });
});
