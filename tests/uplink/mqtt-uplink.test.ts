import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { createServer, type Server } from "node:net";
import { Aedes } from "aedes";
import mqtt from "mqtt";
import { Mosquitto, freePort } from "../helpers/mosquitto.js";
import { Subscriber } from "../faults/subscriber.js";
import { frame, openTestStore, tempDir } from "../store/helpers.js";
import { makeUplink, memoryLogger, once, uplinkCfg, when } from "./harness.js";
import { silentLogger } from "../../agent/log.js";
import { InsecureCredentialsError } from "../../agent/uplink/connect-options.js";
import type { FrameStore } from "../../agent/store/frame-store-types.js";
import type { MqttUplink } from "../../agent/uplink/mqtt-uplink.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function broker(): Promise<Mosquitto> {
  const m = await Mosquitto.start();
  cleanups.push(() => m.stop());
  return m;
}
function store(o = {}): FrameStore {
  const t = tempDir();
  const s = openTestStore(join(t.dir, "s.db"), { flushIntervalMs: 20, ...o });
  cleanups.push(t.cleanup);
  cleanups.push(() => s.close());
  return s;
}
function track(u: MqttUplink): MqttUplink {
  cleanups.push(() => u.stop());
  return u;
}
async function subscriber(url: string): Promise<Subscriber> {
  const s = await Subscriber.connect(url);
  cleanups.push(() => s.close());
  return s;
}

describe("MQTT uplink", () => {
  it("publishes committed frames at QoS 1 with MQTT 5 properties, a retained birth, and deletes them on PUBACK", async () => {
    const m = await broker();
    const sub = await subscriber(m.url);
    const s = store();
    const u = track(makeUplink(s, uplinkCfg([m.url]), silentLogger()));
    const connected = once(u, "connect");
    await u.start();
    await connected;
    for (let i = 0; i < 5; i++) s.put(frame(s, "room1/temp", { codec: "gorilla" }));
    s.put(frame(s, "room1/door", { urgent: true, priority: 0, codec: "event" }));
    await sub.until(() => sub.frames.length === 6);
    expect(sub.frames.filter((f) => f.stream === "room1/temp").map((f) => f.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(sub.frames.every((f) => f.gatewayId === "gw1" && f.kind === "live" && !f.historical)).toBe(true);
    expect(sub.frames.find((f) => f.stream === "room1/door")!.codec).toBe("event");
    expect(sub.status).toContain("online");
    // Acknowledged frames leave the store with the next grouped commit.
    await when(u, () => s.stats().queuedFrames === 0);
    s.commit();
    expect(s.fetch(0, 100)).toHaveLength(0);
    expect(u.status()).toMatchObject({ connected: true, protocolVersion: 5, acked: 6, inFlight: 0 });
  });

  it("sends live frames first while a paced backlog drains oldest first, marked historical", async () => {
    const m = await broker();
    const sub = await subscriber(m.url);
    const s = store();
    for (let i = 0; i < 40; i++) s.put(frame(s, "vib", { size: 2000 }));
    s.commit();
    const u = track(makeUplink(s, uplinkCfg([m.url], { replayMessagesPerS: 20 }), silentLogger()));
    const connected = once(u, "connect");
    await u.start();
    await connected;
    await sub.until(() => sub.frames.length >= 2);
    s.put(frame(s, "door", { urgent: true, priority: 0 }));
    await sub.until(() => sub.frames.some((f) => f.stream === "door"));
    const backlogBeforeDoor = sub.frames.filter((f) => f.stream === "vib").length;
    expect(backlogBeforeDoor).toBeLessThan(40);
    await sub.until(() => sub.frames.length === 41);
    const vib = sub.frames.filter((f) => f.stream === "vib");
    expect(vib.map((f) => f.seq)).toEqual([...Array(40).keys()]);
    expect(vib.every((f) => f.historical && f.kind === "backlog")).toBe(true);
    expect(sub.frames.find((f) => f.stream === "door")!.historical).toBe(false);
  });

  it("falls back to MQTT 3.1.1 when the broker refuses MQTT 5 (aedes), and logs it once", async () => {
    const aedes = await Aedes.createBroker();
    const srv: Server = createServer(aedes.handle);
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => aedes.close(() => srv.close(() => r()))));
    const url = `mqtt://127.0.0.1:${(srv.address() as { port: number }).port}`;
    const got: string[] = [];
    const sub = await mqtt.connectAsync(url, { protocolVersion: 4 });
    cleanups.push(() => sub.endAsync(true));
    await sub.subscribeAsync("edge/#", { qos: 1 });
    sub.on("message", (topic) => got.push(topic));
    const s = store();
    const { log, lines } = memoryLogger();
    const u = track(makeUplink(s, uplinkCfg([url]), log));
    await u.start();
    s.put(frame(s, "t", { urgent: true }));
    await when(u, () => u.status().acked === 1);
    const isFrame = (t: string): boolean => /^edge\/gw1\/t\/(live|backlog)$/.test(t);
    await new Promise<void>((r) => {
      if (got.some(isFrame)) return r();
      sub.on("message", (t) => isFrame(t) && r());
    });
    expect(got).toContain("edge/gw1/status");
    expect(u.status().protocolVersion).toBe(4);
    expect(lines.filter((l) => l.includes("refused MQTT 5"))).toHaveLength(1);
  });

  it("fails over to the next broker", async () => {
    const m = await broker();
    const dead = `mqtt://127.0.0.1:${await freePort()}`;
    const sub = await subscriber(m.url);
    const s = store();
    const u = track(makeUplink(s, uplinkCfg([dead, m.url]), silentLogger()));
    await u.start();
    s.put(frame(s, "t", { urgent: true }));
    await sub.until(() => sub.frames.length === 1);
    expect(u.status().broker).toBe(`mqtt://127.0.0.1:${m.port}`);
  });

  it("refuses credentials over plaintext unless allowInsecure, and never logs the secret", async () => {
    process.env.EDGE_TEST_MQTT_PASSWORD = "s3cr3t-value";
    const s = store();
    const cfg = uplinkCfg(["mqtt://127.0.0.1:1"], { username: "u", password: { env: "EDGE_TEST_MQTT_PASSWORD" } });
    await expect(makeUplink(s, cfg, silentLogger()).start()).rejects.toBeInstanceOf(InsecureCredentialsError);
    const m = await Mosquitto.start({ allowAnonymous: false });
    cleanups.push(() => m.stop());
    const { log, lines } = memoryLogger();
    const u = track(makeUplink(s, { ...cfg, brokers: [{ url: m.url }], allowInsecure: true }, log));
    await u.start();
    // The broker refuses the unknown user; wait for the error to be reported.
    await once(u, "connection-error");
    expect(u.status().connected).toBe(false);
    expect(lines.join("\n")).not.toContain("s3cr3t-value");
  });
});
