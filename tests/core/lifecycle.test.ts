// The agent as a process: SIGTERM flushes what was produced, SIGHUP reloads or keeps the old config.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decodeFrame } from "../../agent/codec/index.js";
import { Mosquitto } from "../helpers/mosquitto.js";
import { collect, killStrays, spawnCli, waitForOutput } from "../helpers/cli.js";
import { Subscriber } from "../faults/subscriber.js";

let broker: Mosquitto;
let sub: Subscriber;

beforeAll(async () => {
  broker = await Mosquitto.start();
  sub = await Subscriber.connect(broker.url, "life");
});
afterEach(killStrays);
afterAll(async () => {
  await sub?.close();
  await broker?.kill("SIGTERM");
});

function writeConfig(file: string, gateway: string, dataDir: string, tempStream = "room-1/temperature"): void {
  writeFileSync(
    file,
    `
gateway: { id: ${gateway}, dataDir: ${dataDir} }
clock: { trustWallClock: true }
buses: { i2c: [ { name: sim, simulate: true } ] }
streams:
  - name: ${tempStream}
    group: room-1
    sensor: { type: sht3x, bus: sim, address: 0x44, intervalMs: 20 }
    codec: { batch: 7, maxAgeMs: 60000 }
  - name: room-1/door
    group: room-1
    sensor: { type: gpio-door, line: { bcm: 17 }, backend: simulated }
    processors: [ { type: door, openTooLongS: 60 } ]
store: { path: store.db, flushIntervalMs: 200 }
uplink: { brokers: [ { url: "mqtt://127.0.0.1:${broker.port}" } ], topicPrefix: life }
`,
  );
}

function samplesOf(gateway: string, stream: string): number {
  return sub.frames.filter((f) => f.gatewayId === gateway && f.stream === stream && f.kind !== "gap").reduce((n, f) => n + decodeFrame(f.payload).count, 0);
}

function framesOf(gateway: string, stream: string): number {
  return sub.frames.filter((f) => f.gatewayId === gateway && f.stream === stream).length;
}

interface StoppedLine {
  delivered: Record<string, { samples: number }>;
}

function stoppedLine(stdout: string): StoppedLine {
  const line = stdout.split("\n").find((l) => l.includes('"agent stopped"'));
  expect(line, stdout).toBeDefined();
  return JSON.parse(line!) as StoppedLine;
}

describe("agent process lifecycle", () => {
  it("SIGTERM closes the open batch and every produced sample reaches the broker after restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edge-life-"));
    const cfg = join(dir, "config.yaml");
    writeConfig(cfg, "gw-term", dir);
    const child = spawnCli(["run", "--config", cfg]);
    const done = collect(child);
    await waitForOutput(child, /agent running/);
    await sub.until(() => framesOf("gw-term", "room-1/temperature") >= 3);
    child.kill("SIGTERM");
    const r = await done;
    expect(r.code).toBe(0);
    const produced = stoppedLine(r.stdout).delivered["room-1/temperature"]?.samples ?? 0;
    expect(produced).toBeGreaterThan(0);
    // What was not yet acknowledged at the stop, including the last, partial batch, is in the store: a second run
    // sends it (as backlog) before anything else is lost or duplicated.
    const again = spawnCli(["run", "--config", cfg]);
    const done2 = collect(again);
    await waitForOutput(again, /agent running/);
    await sub.until(() => samplesOf("gw-term", "room-1/temperature") >= produced);
    again.kill("SIGTERM");
    const r2 = await done2;
    expect(r2.code).toBe(0);
    const total = (stoppedLine(r2.stdout).delivered["room-1/temperature"]?.samples ?? 0) + produced;
    await sub.until(() => samplesOf("gw-term", "room-1/temperature") >= total);
    expect(samplesOf("gw-term", "room-1/temperature")).toBe(total);
  });

  it("SIGHUP with an invalid config keeps running on the old one and says why", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edge-life-"));
    const cfg = join(dir, "config.yaml");
    writeConfig(cfg, "gw-hup-bad", dir);
    const child = spawnCli(["run", "--config", cfg]);
    const done = collect(child);
    await waitForOutput(child, /agent running/);
    await sub.until(() => framesOf("gw-hup-bad", "room-1/temperature") >= 1);
    writeFileSync(cfg, "streams:\n  - name: x/t\n    sensor: { type: sht3x, bus: sim, address: 0x90 }\n");
    child.kill("SIGHUP");
    const why = await waitForOutput(child, /still running on the previous one.*|.*streams\[0\]\.sensor\.address.*/);
    expect(why).toBeTruthy();
    // Still producing on the old config after the failed reload.
    const before = framesOf("gw-hup-bad", "room-1/temperature");
    await sub.until(() => framesOf("gw-hup-bad", "room-1/temperature") >= before + 2);
    child.kill("SIGTERM");
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("0x03-0x77, got 0x90");
  });

  it("SIGHUP with a valid config reloads it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edge-life-"));
    const cfg = join(dir, "config.yaml");
    writeConfig(cfg, "gw-hup-ok", dir);
    const child = spawnCli(["run", "--config", cfg]);
    const done = collect(child);
    await waitForOutput(child, /agent running/);
    writeConfig(cfg, "gw-hup-ok", dir, "room-1/renamed");
    child.kill("SIGHUP");
    await sub.until(() => framesOf("gw-hup-ok", "room-1/renamed") >= 1);
    child.kill("SIGTERM");
    expect((await done).code).toBe(0);
  });
});
