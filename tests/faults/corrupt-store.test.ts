// A corrupt store database is moved aside and replaced; the agent keeps going and data keeps flowing.
import { afterEach, expect, it } from "vitest";
import { closeSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from "node:fs";
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

function scribble(file: string): void {
  const fd = openSync(file, "r+");
  const size = statSync(file).size;
  for (let off = 4096; off < size; off += 4096) writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, off);
  closeSync(fd);
}

it("quarantines a corrupt database at start and while running, and keeps forwarding", { timeout: 120_000 }, async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const path = join(t.dir, "store.db");
  writeFileSync(path, Buffer.alloc(16384, 0x42)); // garbage where the database should be
  const m = await Mosquitto.start({ persistence: true });
  cleanups.push(() => m.stop());
  const sub = await Subscriber.connect(m.url, "edge", { clean: false, clientId: "corrupt-sub", properties: { sessionExpiryInterval: 3600 } });
  cleanups.push(() => sub.close());
  const store = openTestStore(path, { flushIntervalMs: 50, cacheSizeKiB: 64 });
  cleanups.push(() => store.close());
  expect(store.stats().quarantines).toBe(1);

  // Broker down for a while, so a backlog builds up in the new file ...
  await m.kill("SIGTERM");
  const feed = new CounterFeed(store, { batch: 10 });
  feed.push(20_000);
  store.commit();
  // ... and then the medium damages it under the running agent.
  scribble(path);
  scribble(`${path}-wal`);
  const uplink = makeUplink(store, uplinkCfg([m.url]), silentLogger());
  cleanups.push(() => uplink.stop());
  await uplink.start(); // reads the damaged queue: repaired, not crashed
  const up = once(uplink, "connect");
  await m.launch();
  await up;
  const from = feed.next;
  feed.push(500);
  feed.flush();
  store.commit();
  const arrived = new ArrivedSamples(sub);
  await arrived.all(from, feed.next - 1);
  expect(store.stats().quarantines).toBe(2);
  expect(readdirSync(t.dir).filter((n) => /^store\.db\.corrupt-[^-]/.test(n) && !n.endsWith("-wal") && !n.endsWith("-shm"))).toHaveLength(2);
  // The loss is announced: a gap record for the frames of the quarantined file.
  await sub.until(() => {
    arrived.update();
    return arrived.gaps.some((g) => g.reason === "quarantine");
  });
  expect(store.stats().drops.quarantine.frames).toBeGreaterThan(0);
});
