import { describe, expect, it } from "vitest";
import { AgentClock, type ClockSources } from "../../agent/clock.js";

/** A hand-driven wall clock, monotonic clock and sync flag. */
function fakeSources(wall0: number) {
  const s = { wall: wall0, mono: 0, synced: false };
  const src: ClockSources = { wall: () => s.wall, mono: () => s.mono, isSynced: () => s.synced };
  const advance = (ms: number) => {
    s.wall += ms;
    s.mono += ms;
  };
  return { s, src, advance };
}

const opts = { trustWallClock: false, stepThresholdMs: 1000 };
const BOOT_WALL = Date.UTC(2020, 0, 1); // what a Pi without RTC believes at boot (fake-hwclock)
const TRUE_WALL = Date.UTC(2026, 10, 29, 12);

describe("AgentClock", () => {
  it("is untrusted at boot without a sync signal, trusted when configured to trust the wall clock", () => {
    const { src } = fakeSources(BOOT_WALL);
    expect(new AgentClock(src, opts).trusted).toBe(false);
    expect(new AgentClock(src, { ...opts, trustWallClock: true }).trusted).toBe(true);
  });

  it("follows the monotonic clock between checks, whatever the wall clock does", () => {
    const { s, src, advance } = fakeSources(TRUE_WALL);
    s.synced = true;
    const c = new AgentClock(src, opts);
    advance(500);
    s.wall += 200; // small drift below the step threshold: ignored
    expect(c.now()).toBe(TRUE_WALL + 500);
    expect(c.check()).toBeUndefined();
  });

  it("re-stamps pre-sync samples with the offset learnt at sync", () => {
    const { s, src, advance } = fakeSources(BOOT_WALL);
    const c = new AgentClock(src, opts);
    advance(10_000);
    const before = c.now();
    expect(c.restamp(before)).toBeUndefined();
    expect(c.check()).toBeUndefined(); // still unsynced: no re-anchoring on wall changes
    // NTP sets the true time and timesyncd creates its flag.
    s.wall = TRUE_WALL;
    s.synced = true;
    const change = c.check();
    expect(change?.kind).toBe("sync");
    expect(c.trusted).toBe(true);
    // The sample taken 0 ms before sync maps to the true time of that instant.
    expect(c.restamp(before)).toBe(TRUE_WALL);
    expect(c.now()).toBe(TRUE_WALL);
  });

  it("re-anchors on a forward step after sync", () => {
    const { s, src, advance } = fakeSources(TRUE_WALL);
    s.synced = true;
    const c = new AgentClock(src, opts);
    advance(1000);
    s.wall += 60_000;
    const change = c.check();
    expect(change).toMatchObject({ kind: "step", stepMs: 60_000 });
    expect(c.now()).toBe(TRUE_WALL + 61_000);
  });

  it("never goes backwards on a backward step: it holds until wall time catches up", () => {
    const { s, src, advance } = fakeSources(TRUE_WALL);
    s.synced = true;
    const c = new AgentClock(src, opts);
    advance(10_000);
    const before = c.now();
    s.wall -= 5_000;
    expect(c.check()).toMatchObject({ kind: "step", stepMs: -5_000 });
    const seen: number[] = [before];
    for (let i = 0; i < 10; i++) {
      advance(1000);
      seen.push(c.now());
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(seen[3]).toBe(before); // held during the 5 s the wall clock repeats
    expect(seen[10]).toBe(TRUE_WALL + 15_000); // then follows wall time again
  });

  it("keeps stamps monotonic through many random steps", () => {
    const { s, src, advance } = fakeSources(TRUE_WALL);
    s.synced = true;
    const c = new AgentClock(src, opts);
    let prev = c.now();
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      advance(Math.floor(rnd() * 100));
      if (rnd() < 0.05) s.wall += Math.floor((rnd() - 0.5) * 120_000);
      c.check();
      const t = c.now();
      expect(t).toBeGreaterThanOrEqual(prev);
      prev = t;
    }
  });
});
