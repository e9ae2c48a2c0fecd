// Shaft speed from another stream (a Modbus register in 0.1 rpm): the runtime hands its physical value to the
// vibration processor, whose features then carry it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateConfig, ConfigError } from "../../config/load.js";
import { decodeFrame } from "../../agent/codec/index.js";
import { silentLogger } from "../../agent/log.js";
import { Priority } from "../../agent/model.js";
import { manualSource } from "../helpers/manual-source.js";
import type { Frame } from "../../agent/pipeline/frame.js";
import { startAgent } from "../../agent/runtime/agent.js";
import { defaultDeps } from "../../agent/runtime/default-deps.js";

const RATE = 3200;


const rawConfig = (dir: string, rpmStream: string) => ({
  gateway: { id: "rpm-gw", dataDir: dir },
  clock: { trustWallClock: true },
  buses: { i2c: [{ name: "i2c1" }], serial: [{ name: "rs485", path: "/dev/null" }] },
  streams: [
    { name: "pump/speed", sensor: { type: "modbus", bus: "rs485", slaveId: 1, registers: [{ name: "rpm", address: 0, scale: 0.1, unit: "rpm" }] } },
    {
      name: "pump/vib",
      sensor: { type: "adxl345", bus: "i2c1" },
      processors: [{ type: "vibration", windowS: 1, rpmFrom: { stream: rpmStream }, bearing: { balls: 9, ballDiameter: 0.3126, pitchDiameter: 1.537 } }],
    },
  ],
  uplink: { brokers: [{ url: "mqtt://127.0.0.1:1" }] },
});

describe("shaft speed from another stream", () => {
  it("reaches the vibration features as a physical rpm", async () => {
    const config = validateConfig(rawConfig(mkdtempSync(join(tmpdir(), "edge-rpm-")), "pump/speed"));
    const speed = manualSource({ name: "pump/speed", kind: "periodic", channels: [{ name: "rpm", unit: "rpm", scale: 0.1, offset: 0 }], priority: Priority.periodic });
    const g = { unit: "g", scale: 0.0039, offset: 0 };
    const vib = manualSource({ name: "pump/vib", kind: "waveform", channels: ["x", "y", "z"].map((name) => ({ name, ...g })), priority: Priority.waveform });
    const frames: Frame[] = [];
    const agent = await startAgent(config, {
      log: silentLogger(),
      deps: { ...defaultDeps(), createSource: (s) => (s.name === "pump/speed" ? speed : vib) },
      noUplink: true,
      onFrame: (f) => frames.push(f),
    });
    const t0 = agent.ctx.now();
    speed.push({ kind: "sample", stream: "pump/speed", t: t0, values: [17_960] });
    for (let s = 0; s < 3; s++) {
      const x = Int32Array.from({ length: RATE }, (_, i) => Math.round(50 * Math.sin((2 * Math.PI * 100 * (s * RATE + i)) / RATE)));
      vib.push({ kind: "block", stream: "pump/vib", t0: t0 + s * 1000, rateHz: RATE, channels: [x, x, new Int32Array(RATE).fill(256)] });
    }
    agent.sink.tick(true);
    const features = frames.filter((f) => f.stream === "pump/vib/features").map((f) => decodeFrame(f.bytes));
    expect(features.length).toBeGreaterThan(0);
    const rpm = features[0].channels.find((c) => c.name === "rpm")!;
    expect(rpm.counts[0] * rpm.scale + rpm.offset).toBeCloseTo(1796, 5);
    await agent.stop();
  });

  it("a config naming a stream that does not exist is refused with the path", () => {
    expect(() => validateConfig(rawConfig("/tmp", "pump/nope"))).toThrow(ConfigError);
    try {
      validateConfig(rawConfig("/tmp", "pump/nope"));
    } catch (e) {
      expect((e as ConfigError).issues).toContainEqual({ path: "streams[1].processors[0].rpmFrom.stream", message: 'expected the name of a configured stream, got "pump/nope"' });
    }
  });
});
