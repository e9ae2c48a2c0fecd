import { mkdtempSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfigText, validateConfig } from "../../config/load.js";
import { repoRoot, runCli } from "../helpers/cli.js";

const minimal = () => ({
  buses: { i2c: [{ name: "i2c1", bus: 1 }] },
  streams: [{ name: "room/temp", sensor: { type: "sht3x", bus: "i2c1", address: 0x44 } }],
  uplink: { brokers: [{ url: "mqtt://127.0.0.1:1883" }] },
});

function issuesOf(raw: unknown): { path: string; message: string }[] {
  try {
    validateConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

describe("config examples", () => {
  const files = readdirSync(join(repoRoot, "config")).filter((f) => f.endsWith(".yaml"));
  it("has the demo, a cold room and a motor example", () => {
    expect(files).toEqual(expect.arrayContaining(["demo.yaml", "coldroom.yaml", "motor.yaml"]));
  });
  for (const f of files) {
    it(`${f} is valid`, () => {
      process.env.EDGE_AGENT_MQTT_PASSWORD = "example";
      const cfg = loadConfig(join(repoRoot, "config", f));
      expect(cfg.streams.length).toBeGreaterThan(0);
    });
  }
});

describe("config defaults", () => {
  it("fills defaults from the schema", () => {
    const cfg = validateConfig(minimal());
    expect(cfg.store.flushIntervalMs).toBe(1000);
    expect(cfg.uplink.protocolVersion).toBe(5);
    expect(cfg.streams[0].sensor).toMatchObject({ type: "sht3x", intervalMs: 1000 });
    expect(cfg.clock.syncFlagFile).toBe("/run/systemd/timesync/synchronized");
  });
});

type Mutate = (c: ReturnType<typeof minimal> & Record<string, any>) => void;
const bad: [string, Mutate, string, RegExp][] = [
  ["address out of range", (c) => ((c.streams[0].sensor as any).address = 0x90), "streams[0].sensor.address", /expected an integer 0x03-0x77, got 0x90/],
  ["address of the wrong type", (c) => ((c.streams[0].sensor as any).address = "0x44"), "streams[0].sensor.address", /expected an integer 0x03-0x77, got "0x44"/],
  ["reserved low address", (c) => ((c.streams[0].sensor as any).address = 0x01), "streams[0].sensor.address", /0x03-0x77, got 0x1/],
  ["unknown sensor type", (c) => ((c.streams[0].sensor as any).type = "ds18b20"), "streams[0].sensor.type", /./],
  ["unknown key", (c) => ((c.streams[0] as any).colour = "blue"), "streams[0].colour", /unknown key/],
  ["unknown top-level key", (c) => (c.brokers = []), "brokers", /unknown key/],
  ["wrong type for interval", (c) => ((c.streams[0].sensor as any).intervalMs = "fast"), "streams[0].sensor.intervalMs", /number/],
  ["duplicate stream names", (c) => c.streams.push({ ...c.streams[0] }), "streams[1].name", /duplicate stream name "room\/temp"/],
  ["the agent's own stream name", (c) => (c.streams[0].name = "agent"), "streams[0].name", /"agent" is reserved for the agent's own event stream/],
  // Found by a birthday search: CRC-32 collisions, so a compact frame header could not tell these streams apart.
  ["two streams with one id", (c) => c.streams.push({ ...c.streams[0], name: "room/sjmzshkz" }, { ...c.streams[0], name: "room/gnylcbcx" }), "streams[2].name", /"room\/gnylcbcx" has the same id 0x36e102ee .* as "room\/sjmzshkz"/],
  [
    "a derived stream with the id of another stream",
    (c) => c.streams.push({ ...c.streams[0], name: "room/avqjetmp" }, { ...c.streams[0], name: "m/uxgzkpqh", processors: [{ type: "temperature-alarm", high: 8 }] } as any),
    "streams[2].name",
    /"m\/uxgzkpqh\/alarms" has the same id .* as "room\/avqjetmp"/,
  ],
  ["bus not declared", (c) => ((c.streams[0].sensor as any).bus = "i2c9"), "streams[0].sensor.bus", /buses\.i2c names \(i2c1\), got "i2c9"/],
  ["no streams", (c) => (c.streams = []), "streams", /too small|at least/i],
  ["stream name with a wildcard", (c) => (c.streams[0].name = "room/#"), "streams[0].name", /levels of letters/],
  ["broker URL without scheme", (c) => (c.uplink.brokers[0].url = "127.0.0.1:1883"), "uplink.brokers[0].url", /broker URL/],
  ["inline password", (c) => ((c.uplink as any).password = "hunter2"), "uplink.password", /never written inline/],
  ["missing secret env var", (c) => Object.assign(c.uplink, { password: { env: "EDGE_AGENT_TEST_UNSET_VAR" }, allowInsecure: true }), "uplink.password", /EDGE_AGENT_TEST_UNSET_VAR is not set/],
  ["missing secret file", (c) => Object.assign(c.uplink, { password: { file: "/nonexistent/secret" }, allowInsecure: true }), "uplink.password", /does not exist/],
  ["password over plaintext", (c) => ((c.uplink as any).username = "gw"), "uplink.brokers[0].url", /credentials would travel in plaintext/],
  ["missing uplink", (c) => delete (c as any).uplink, "uplink", /./],
];

describe("bad configs", () => {
  for (const [name, mutate, path, message] of bad) {
    it(`${name}: reports ${path}`, () => {
      const c = minimal() as any;
      mutate(c);
      const issues = issuesOf(c);
      const hit = issues.find((i) => i.path === path);
      expect(hit, JSON.stringify(issues)).toBeDefined();
      expect(hit!.message).toMatch(message);
    });
  }

  it("lists every error at once", () => {
    const c = minimal() as any;
    c.streams[0].sensor.address = 0x90;
    c.streams[0].colour = "blue";
    c.uplink.brokers[0].url = "nope";
    expect(issuesOf(c).map((i) => i.path).sort()).toEqual(["streams[0].colour", "streams[0].sensor.address", "uplink.brokers[0].url"]);
  });

  it("reports YAML syntax errors with a line", () => {
    expect(() => parseConfigText("streams: [\n  - {name: x\n")).toThrow(ConfigError);
  });

  /** `edge-agent check` on a config of these streams (one i2c bus, a local broker). */
  function check(streams: string[]): ReturnType<typeof runCli> {
    const file = join(mkdtempSync(join(tmpdir(), "edge-config-")), "config.yaml");
    const lines = ["buses: { i2c: [ { name: i2c1 } ] }", "streams:", ...streams.map((s) => `  - ${s}`), "uplink: { brokers: [ { url: 'mqtt://127.0.0.1:1883' } ] }"];
    writeFileSync(file, lines.join("\n"));
    return runCli(["check", "--config", file]);
  }

  it("check exits 2 and names the field, without a stack trace", async () => {
    const r = await check([
      "{ name: a/t, sensor: { type: sht3x, bus: i2c1, address: 0x44 } }",
      "{ name: b/t, sensor: { type: tmp102, bus: i2c1, address: 0x48 } }",
      "{ name: c/t, sensor: { type: mcp9808, bus: i2c1, address: 0x90 } }",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("streams[2].sensor.address: expected an integer 0x03-0x77, got 0x90");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("check exits 2 on two streams whose ids collide, naming the stream", async () => {
    const r = await check([
      "{ name: room/sjmzshkz, sensor: { type: sht3x, bus: i2c1, address: 0x44 }, codec: { header: compact } }",
      "{ name: room/gnylcbcx, sensor: { type: tmp102, bus: i2c1, address: 0x48 } }",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('streams[1].name: stream "room/gnylcbcx" has the same id 0x36e102ee');
  });

  it("check exits 0 on a valid config", async () => {
    const r = await runCli(["check", "--config", join(repoRoot, "config", "demo.yaml")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("valid, 3 stream(s)");
  });
});
