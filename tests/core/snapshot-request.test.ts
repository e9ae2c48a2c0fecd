// An operator's request (SIGUSR2 in the process) makes every vibration stream send its next window raw.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../config/load.js";
import { silentLogger } from "../../agent/log.js";
import { Priority } from "../../agent/model.js";
import type { Frame } from "../../agent/pipeline/frame.js";
import { startAgent } from "../../agent/runtime/agent.js";
import { defaultDeps } from "../../agent/runtime/default-deps.js";
import { manualSource } from "../helpers/manual-source.js";

const RATE = 1000;

describe("snapshot on request", () => {
  it("sends the next window raw, once", async () => {
    const config = validateConfig({
      gateway: { id: "snap-gw", dataDir: mkdtempSync(join(tmpdir(), "edge-snap-")) },
      clock: { trustWallClock: true },
      buses: { i2c: [{ name: "i2c1" }] },
      streams: [{ name: "fan/vib", sensor: { type: "mpu6050", bus: "i2c1" }, processors: [{ type: "vibration", windowS: 1, snapshotEveryH: 0 }] }],
      uplink: { brokers: [{ url: "mqtt://127.0.0.1:1" }] },
    });
    const g = { unit: "g", scale: 1 / 2048, offset: 0 };
    const vib = manualSource({ name: "fan/vib", kind: "waveform", channels: ["x", "y", "z"].map((name) => ({ name, ...g })), priority: Priority.waveform });
    const raw: Frame[] = [];
    const agent = await startAgent(config, {
      log: silentLogger(),
      deps: { ...defaultDeps(), createSource: () => vib },
      noUplink: true,
      onFrame: (f) => f.stream === "fan/vib" && raw.push(f),
    });
    const t0 = agent.ctx.now();
    const second = (s: number) => {
      const x = Int32Array.from({ length: RATE }, (_, i) => Math.round(200 * Math.sin((2 * Math.PI * 50 * i) / RATE)));
      vib.push({ kind: "block", stream: "fan/vib", t0: t0 + s * 1000, rateHz: RATE, channels: [x, x, x] });
      agent.sink.tick(true);
    };
    for (let s = 0; s < 4; s++) second(s);
    const before = raw.reduce((n, f) => n + f.samples, 0);
    second(4);
    expect(raw.reduce((n, f) => n + f.samples, 0)).toBe(before); // steady state: windows stay on the gateway

    expect(agent.requestSnapshots()).toBe(1);
    second(5);
    second(6);
    const after = raw.reduce((n, f) => n + f.samples, 0);
    expect(after - before).toBe(RATE); // exactly one window went up raw
    await agent.stop();
  });
});
