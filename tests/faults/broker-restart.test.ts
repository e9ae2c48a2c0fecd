// The broker goes away and comes back 20 times while data streams: every sample arrives, exactly once after
// de-duplication. The broker keeps its sessions across restarts (persistence, saved on SIGTERM) so the
// subscriber's persistent session misses nothing; the agent side must resend whatever was not acknowledged.
import { afterEach, expect, it } from "vitest";
import { join } from "node:path";
import { Mosquitto } from "../helpers/mosquitto.js";
import { Subscriber } from "./subscriber.js";
import { ArrivedSamples, CounterFeed } from "./counter.js";
import { openTestStore, tempDir } from "../store/helpers.js";
import { makeUplink, once, uplinkCfg } from "../uplink/harness.js";
import { silentLogger } from "../../agent/log.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("loses nothing across 20 broker restarts during a stream", { timeout: 180_000 }, async () => {
  const m = await Mosquitto.start({ persistence: true });
  cleanups.push(() => m.stop());
  const sub = await Subscriber.connect(m.url, "edge", { clean: false, clientId: "restart-sub", properties: { sessionExpiryInterval: 3600 } });
  cleanups.push(() => sub.close());
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = openTestStore(join(t.dir, "s.db"), { flushIntervalMs: 20 });
  cleanups.push(() => store.close());
  const uplink = makeUplink(store, uplinkCfg([m.url], { replayMessagesPerS: 1000, replayBytesPerS: 10_000_000 }), silentLogger());
  cleanups.push(() => uplink.stop());
  const feed = new CounterFeed(store, { batch: 25 });
  const arrived = new ArrivedSamples(sub);

  const connected = once(uplink, "connect");
  await uplink.start();
  await connected;
  for (let round = 0; round < 20; round++) {
    // Stream while connected until some of this round's data is through ...
    const before = sub.frames.length;
    feed.push(100);
    await sub.until(() => sub.frames.length > before);
    feed.push(100); // ... and some more that is likely still in flight when the broker goes.
    const down = once(uplink, "disconnect");
    await m.kill("SIGTERM");
    await down;
    feed.push(150); // produced while the broker is away: stored, sent later
    store.commit();
    const up = once(uplink, "connect");
    await m.launch();
    await up;
  }
  feed.push(10);
  feed.flush();
  store.commit();
  await arrived.all(0, feed.next - 1);
  arrived.update();
  expect(arrived.indices.size).toBe(feed.next);
  expect(uplink.status().connects).toBeGreaterThanOrEqual(21);
  expect(store.stats().drops.overflow.frames).toBe(0);
});
