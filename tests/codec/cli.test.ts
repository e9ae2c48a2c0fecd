import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../agent/cli/main.js";
import { decodeFrames } from "../../agent/codec/index.js";
import { jitteredTemperature, T0, vibration } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "codec-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string) => join(dir, name);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(a.join(" ")));
  try {
    const code = await main(["codec", ...argv]);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe("edge-agent codec", () => {
  it(".i16 round trip is bit-identical, in frames of --batch samples", async () => {
    const x = vibration(10_000);
    const raw = new Uint8Array(x.length * 2);
    const dv = new DataView(raw.buffer);
    x.forEach((v, i) => dv.setInt16(2 * i, v, true));
    writeFileSync(p("v.i16"), raw);
    expect((await run("encode", "--in", p("v.i16"), "--out", p("v.eaf"), "--rate", "3200", "--batch", "3200", "--t0", String(T0))).code).toBe(0);
    const frames = decodeFrames(new Uint8Array(readFileSync(p("v.eaf"))));
    expect(frames.map((f) => f.count)).toEqual([3200, 3200, 3200, 400]);
    expect(frames[1].t0).toBe(T0 + 1000);
    expect((await run("decode", "--in", p("v.eaf"), "--out", p("v2.i16"))).code).toBe(0);
    expect(Buffer.compare(readFileSync(p("v2.i16")), Buffer.from(raw))).toBe(0);
    const s = await run("stats", "--in", p("v.eaf"));
    expect(s.out).toMatch(/frames 4, samples 10000/);
    expect(s.out).toMatch(/regular\s+lossless/);
  });

  it("CSV round trip at the file's resolution is exact; --max-error keeps the bound", async () => {
    const { times, values } = jitteredTemperature(500);
    const csv = "time_ms,value\n" + times.map((t, i) => `${t},${(values[i] / 100).toFixed(2)}`).join("\n") + "\n";
    writeFileSync(p("t.csv"), csv);
    expect((await run("encode", "--in", p("t.csv"), "--out", p("t.eaf"), "--batch", "60")).code).toBe(0);
    expect((await run("decode", "--in", p("t.eaf"), "--out", p("t2.csv"))).code).toBe(0);
    expect(readFileSync(p("t2.csv"), "utf8")).toBe(csv);
    expect((await run("encode", "--in", p("t.csv"), "--out", p("tl.eaf"), "--max-error", "0.05", "--resolution", "0.01")).code).toBe(0);
    const [f] = decodeFrames(new Uint8Array(readFileSync(p("tl.eaf"))));
    expect(f.codec).toBe("bounded");
    expect(f.count).toBeLessThan(500);
  });

  it("--header compact writes the stream id; decode and stats name it from --stream or show the id", async () => {
    const { times, values } = jitteredTemperature(120);
    const csv = "time_ms,value\n" + times.map((t, i) => `${t},${(values[i] / 100).toFixed(2)}`).join("\n") + "\n";
    writeFileSync(p("c.csv"), csv);
    const full = await run("encode", "--in", p("c.csv"), "--out", p("cf.eaf"), "--batch", "60", "--stream", "room-1/temperature");
    const compact = await run("encode", "--in", p("c.csv"), "--out", p("cc.eaf"), "--batch", "60", "--stream", "room-1/temperature", "--header", "compact");
    expect(compact.code).toBe(0);
    const size = (r: { out: string }) => Number(/(\d+) bytes \(/.exec(r.out)![1]);
    expect(size(full) - size(compact)).toBe(2 * (1 + 18 - 4));
    const frames = decodeFrames(new Uint8Array(readFileSync(p("cc.eaf"))));
    expect(frames.map((f) => [f.header, f.stream])).toEqual([["compact", undefined], ["compact", undefined]]);
    expect((await run("stats", "--in", p("cc.eaf"))).out).toMatch(/^1\s+#[0-9a-f]{8}\s+compact\s+irregular/m);
    expect((await run("stats", "--in", p("cc.eaf"), "--stream", "room-1/temperature")).out).toMatch(/^1\s+room-1\/temperature\s+compact/m);
    expect((await run("decode", "--in", p("cc.eaf"), "--out", p("c2.csv"))).code).toBe(0);
    expect(readFileSync(p("c2.csv"), "utf8")).toBe(csv);
    writeFileSync(p("mixed.eaf"), Buffer.concat([readFileSync(p("cf.eaf")), readFileSync(p("cc.eaf"))]));
    expect((await run("stats", "--in", p("mixed.eaf"))).out).not.toMatch(/#[0-9a-f]{8}/); // learnt from the full frames
    expect((await run("encode", "--in", p("c.csv"), "--out", p("x"), "--header", "tiny")).err).toMatch(/--header: expected full or compact/);
  });

  it("bad input gets a clear message and a non-zero exit", async () => {
    writeFileSync(p("bad.csv"), "time,value\n1,2\n");
    const bad = await run("encode", "--in", p("bad.csv"), "--out", p("x"));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/expected the header "time_ms,value"/);
    expect((await run("encode", "--in", p("v.i16"), "--out", p("x"))).err).toMatch(/--rate HZ is required/);
    writeFileSync(p("junk.eaf"), Buffer.from("not a frame at all"));
    const junk = await run("decode", "--in", p("junk.eaf"), "--out", p("j.csv"));
    expect(junk.code).toBe(1);
    expect(junk.err).toMatch(/not an edge-agent frame/);
    const csvToI16 = await run("decode", "--in", p("t.eaf"), "--out", p("t.i16"));
    expect(csvToI16.code).toBe(1);
    expect(csvToI16.err).toMatch(/not a one-channel regular series/);
  });
});
