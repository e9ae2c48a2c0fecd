// The clock and the store together: frames stamped before NTP sync are corrected in the store once it is seen.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load.js";
import { decodeFrame } from "../../agent/codec/index.js";
import { silentLogger } from "../../agent/log.js";
import { startAgent } from "../../agent/runtime/agent.js";
import { defaultDeps } from "../../agent/runtime/default-deps.js";
import type { Frame } from "../../agent/pipeline/frame.js";
import type { FrameStore } from "../../agent/store/frame-store-types.js";

const YEARS_BEHIND = 6 * 365 * 86_400_000; // a Pi without RTC boots believing it is years ago

describe("clock sync against the store", () => {
  it("flags pre-sync frames, then re-stamps them to true time and reports the offset", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edge-sync-"));
    const config = validateConfig({
      gateway: { id: "sync-gw", dataDir: dir },
      buses: { i2c: [{ name: "sim", simulate: true }] },
      streams: [{ name: "room/t", sensor: { type: "sht3x", bus: "sim", address: 0x44, intervalMs: 10 }, codec: { batch: 5, maxAgeMs: 60_000 } }],
      uplink: { brokers: [{ url: "mqtt://127.0.0.1:1" }] },
    });
    let synced = false;
    const clockSources = {
      wall: () => (synced ? Date.now() : Date.now() - YEARS_BEHIND),
      mono: () => performance.now(),
      isSynced: () => synced,
    };
    let frames = 0;
    let onFrames: (() => void) | undefined;
    const agent = await startAgent(config, {
      log: silentLogger(),
      deps: defaultDeps(),
      clockSources,
      noUplink: true,
      onFrame: (f: Frame) => {
        if (f.stream === "room/t" && ++frames >= 3) onFrames?.();
      },
    });
    expect(agent.clock.trusted).toBe(false);
    await new Promise<void>((resolve) => (frames >= 3 ? resolve() : (onFrames = resolve)));

    const store = agent.store as unknown as FrameStore;
    agent.sink.tick();
    const before = store.fetch(0, 10_000).map((f) => decodeFrame(f.bytes)).filter((d) => d.stream === "room/t");
    expect(before.length).toBeGreaterThanOrEqual(3);
    for (const d of before) {
      expect(d.untrusted).toBe(true);
      expect(Date.now() - d.times[0]).toBeGreaterThan(YEARS_BEHIND - 60_000);
    }

    synced = true;
    const change = agent.clock.check();
    expect(change?.kind).toBe("sync");
    const offset = (change as { offsetMs: number }).offsetMs;
    expect(Math.abs(offset - YEARS_BEHIND)).toBeLessThan(60_000);

    agent.sink.tick(true);
    const stored = store.fetch(0, 10_000).map((f) => ({ f, d: decodeFrame(f.bytes) }));
    const temps = stored.filter(({ d }) => d.stream === "room/t");
    expect(temps.length).toBeGreaterThanOrEqual(3);
    const now = Date.now();
    for (const { f, d } of temps) {
      // Every frame of this run is now on true time and no longer flagged.
      expect(d.untrusted).toBe(false);
      expect(f.untrusted).toBe(false);
      expect(now - d.times[0]).toBeLessThan(10 * 60_000);
      expect(now - d.times[0]).toBeGreaterThanOrEqual(0);
    }
    const syncEvent = stored.flatMap(({ d }) => d.events ?? []).find((e) => e.type === "clock.sync");
    expect(syncEvent?.data.offsetMs).toBe(offset);
    await agent.stop();
  });
});
