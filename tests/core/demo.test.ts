// Demo smoke test: the demo starts, a real MQTT subscriber receives messages from every stream, SIGINT exits 0.
import mqtt from "mqtt";
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { decodeFrame } from "../../agent/codec/index.js";
import { parseFrameTopic } from "../../agent/uplink/topics.js";
import { collect, killStrays, spawnCli, waitForOutput } from "../helpers/cli.js";

describe("edge-agent demo", () => {
  let child: ChildProcess;
  afterEach(killStrays);

  it("publishes every stream to its embedded broker and exits 0 on SIGINT", async () => {
    child = spawnCli(["demo", "--port", "0", "--no-view"]);
    const done = collect(child);
    const watch = await waitForOutput(child, /mosquitto_sub -h 127\.0\.0\.1 -p \d+ -t 'edge\/#' -v/);
    const port = Number(watch.match(/-p (\d+)/)![1]);

    // aedes speaks MQTT 3.1.1 only.
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4 });
    const seen = new Map<string, number>();
    const wanted = ["coldroom-1/temperature", "coldroom-1/door", "pump-3/vibration", "pump-3/vibration/features", "pump-3/vibration/diagnosis"];
    const allSeen = new Promise<void>((resolve) => {
      client.on("message", (topic, payload) => {
        const t = parseFrameTopic("edge", topic);
        if (!t || t.kind === "gap") return;
        const frame = decodeFrame(payload); // every payload is a valid frame of the stream its topic names
        expect(frame.stream).toBe(t.stream);
        seen.set(t.stream, (seen.get(t.stream) ?? 0) + 1);
        if (wanted.every((s) => seen.has(s))) resolve();
      });
    });
    await client.subscribeAsync("edge/#", { qos: 1 });
    await allSeen;
    await client.endAsync();

    child.kill("SIGINT");
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("demo: stopped (exit 0)");
  });

  it("stops cleanly when its terminal goes away (SIGHUP)", async () => {
    child = spawnCli(["demo", "--port", "0", "--no-view"]);
    const done = collect(child);
    await waitForOutput(child, /agent running/);
    child.kill("SIGHUP");
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("demo: stopped (exit 0)");
  });
});
