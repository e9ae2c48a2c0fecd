// codec.header: compact end to end: the agent publishes frames that carry only the stream id, a subscriber names
// them from the MQTT topic, and de-duplication by id agrees with de-duplication by the topic's name.
import mqtt from "mqtt";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load.js";
import { decodeFrame, Deduplicator, StreamNames, streamId, type DecodedFrame } from "../../agent/codec/index.js";
import { silentLogger } from "../../agent/log.js";
import { startAgent } from "../../agent/runtime/agent.js";
import { defaultDeps } from "../../agent/runtime/default-deps.js";
import { parseFrameTopic } from "../../agent/uplink/topics.js";
import { Mosquitto } from "../helpers/mosquitto.js";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await Mosquitto.start();
});
afterAll(async () => {
  await broker?.kill("SIGTERM");
});

describe("compact frame headers through the agent and MQTT", () => {
  it("the topic names every compact frame; derived streams follow their parent's header form, the agent's own is full", async () => {
    const config = validateConfig({
      gateway: { id: "gw-compact", dataDir: mkdtempSync(join(tmpdir(), "edge-compact-")) },
      clock: { trustWallClock: true },
      buses: { i2c: [{ name: "sim", simulate: true }] },
      streams: [
        {
          name: "room-1/temperature",
          sensor: { type: "sht3x", bus: "sim", address: 0x44, intervalMs: 10 },
          processors: [{ type: "temperature-alarm", high: -100, delayS: 0 }],
          codec: { batch: 5, header: "compact" },
        },
        { name: "room-2/temperature", sensor: { type: "tmp102", bus: "sim", address: 0x48, intervalMs: 10 }, codec: { batch: 5 } },
      ],
      uplink: { brokers: [{ url: broker.url }], topicPrefix: "cmp" },
    });
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const names = new StreamNames(); // one gateway: one name map
    const byId = new Deduplicator();
    const byName = new Deduplicator();
    const got: { topic: string; frame: DecodedFrame }[] = [];
    const wanted = ["room-1/temperature", "room-1/temperature/alarms", "room-2/temperature"];
    const enough = new Promise<void>((resolve) => {
      client.on("message", (topic, payload, packet) => {
        const t = parseFrameTopic("cmp", topic);
        if (!t || t.kind === "gap") return;
        names.add(t.stream);
        const frame = decodeFrame(payload, { streams: names });
        const seq = Number((packet.properties?.userProperties as Record<string, string>).seq);
        expect(byId.acceptFrame(t.gatewayId, frame)).toBe(byName.accept(t.gatewayId, t.stream, seq));
        got.push({ topic: t.stream, frame });
        const streams = new Set(got.map((g) => g.topic));
        if (wanted.every((w) => streams.has(w)) && got.length >= 6) resolve();
      });
    });
    await client.subscribeAsync("cmp/#", { qos: 1 });
    const agent = await startAgent(config, { log: silentLogger(), deps: defaultDeps() });
    await enough;
    await agent.stop();
    await client.endAsync();

    for (const { topic, frame } of got) {
      expect(frame.stream).toBe(topic);
      expect(frame.streamId).toBe(streamId(topic));
      expect([topic, frame.header]).toEqual([topic, topic.startsWith("room-1/") ? "compact" : "full"]); // "agent" too
    }
    expect(got.filter((g) => g.frame.header === "compact").length).toBeGreaterThan(0);
  });
});
