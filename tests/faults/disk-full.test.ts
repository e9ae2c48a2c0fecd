// The store's medium fills up (SQLite max_page_count fails writes with SQLITE_FULL, as a full disk does) while
// the broker is unreachable: nothing crashes, events are kept, drops follow the policy and are counted, and
// every dropped sample is announced upstream by a gap record once the link is back. Writing resumes when
// space returns.
import { afterEach, expect, it } from "vitest";
import { join } from "node:path";
import { Mosquitto } from "../helpers/mosquitto.js";
import { Subscriber } from "./subscriber.js";
import { ArrivedSamples, CounterFeed } from "./counter.js";
import { frame, openTestStore, tempDir } from "../store/helpers.js";
import { makeUplink, uplinkCfg, when } from "../uplink/harness.js";
import { silentLogger } from "../../agent/log.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("drops by policy on a full medium, loses nothing silently, and resumes when space returns", { timeout: 120_000 }, async () => {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = openTestStore(join(t.dir, "s.db"), { maxPageCount: 24, flushIntervalMs: 1000 });
  cleanups.push(() => store.close());
  const feed = new CounterFeed(store, { batch: 20 });
  let doors = 0;
  for (let round = 0; round < 100; round++) {
    feed.push(1000);
    store.commit();
    store.put(frame(store, "door", { priority: 0, urgent: true, size: 40, samples: 1 }));
    doors++;
  }
  const full = store.stats();
  expect(full.drops["disk-full"].frames).toBeGreaterThan(0);

  // Space returns: writing resumes.
  store.setMaxPageCount(undefined);
  feed.push(1000);
  feed.flush();
  store.commit();
  expect(store.stats().diskFull).toBe(false);
  expect(store.stats().pendingFrames).toBe(0);

  const m = await Mosquitto.start();
  cleanups.push(() => m.stop());
  const sub = await Subscriber.connect(m.url);
  cleanups.push(() => sub.close());
  const uplink = makeUplink(store, uplinkCfg([m.url], { replayMessagesPerS: 5000, replayBytesPerS: 50_000_000 }), silentLogger());
  cleanups.push(() => uplink.stop());
  await uplink.start();
  await when(uplink, () => store.stats().queuedFrames === 0 && uplink.status().inFlight === 0);
  const arrived = new ArrivedSamples(sub);
  const expectedFrames = uplink.status().acked;
  await sub.until(() => sub.frames.length >= expectedFrames);
  arrived.update();

  // Every door event arrived; every counter sample either arrived or is covered by a gap record.
  expect(sub.frames.filter((f) => f.stream === "door" && f.kind !== "gap")).toHaveLength(doors);
  const gapSamples = arrived.gaps.filter((g) => g.stream === "counter").reduce((n, g) => n + g.samples, 0);
  expect(gapSamples).toBeGreaterThan(0);
  expect(arrived.indices.size + gapSamples).toBe(feed.next);
  expect(gapSamples).toBe(store.stats().drops["disk-full"].samples + store.stats().drops.overflow.samples);
  // The newest data survived: the policy drops the oldest periodic data first.
  expect(arrived.indices.has(feed.next - 1)).toBe(true);
});
