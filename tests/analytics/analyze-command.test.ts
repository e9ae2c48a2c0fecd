import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { command } from "../../agent/cli/commands/analyze.js";
import { main } from "../../agent/cli/main.js";
import { UsageError } from "../../agent/cli/exit-codes.js";
import { faultFrequencies } from "../../agent/analytics/bearing.js";
import { parseBearing } from "../../agent/analytics/recording.js";
import { impactTrain, SKF_6205 } from "./helpers.js";

const RATE = 25600;
const SCALE = 0.0005;
const RPM = 1800;
let dir: string;
let file: string;

function captureStdout(): { text: () => string } {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation(() => {});
  return { text: () => lines.join("\n") };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "analyze-"));
  file = join(dir, "outer.i16");
  const x = impactTrain({ n: 3 * RATE, rateHz: RATE, defectHz: faultFrequencies(SKF_6205, RPM / 60).bpfo, impactG: 3 });
  writeFileSync(file, Buffer.from(Int16Array.from(x, (v) => Math.round(v / SCALE)).buffer));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const base = () => ["--in", file, "--rate", String(RATE), "--scale", String(SCALE)];
const bearing = ["--rpm", String(RPM), "--bearing", "balls=9,ball=0.3126,pitch=1.537,angle=0"];

describe("edge-agent analyze", () => {
  it("prints features and the diagnosis as JSON", async () => {
    const out = captureStdout();
    expect(await command.run([...base(), ...bearing, "--window", "1", "--json"])).toBe(0);
    const r = JSON.parse(out.text());
    expect(r.rateHz).toBe(RATE);
    expect(r.samples).toBe(3 * RATE);
    expect(r.windows).toHaveLength(3);
    expect(r.summary.diagnosis).toMatchObject({ fault: "outer-race", windows: 3, of: 3 });
    expect(["A", "B", "C", "D"]).toContain(r.summary.zone);
    const a = r.windows[0].axes[0];
    expect(a.kurtosis).toBeGreaterThan(3);
    expect(a.bearing.frequencies.bpfo).toBeCloseTo(3.5848 * 30, 1);
  });

  it("prints a table for a person", async () => {
    const out = captureStdout();
    expect(await command.run([...base(), ...bearing])).toBe(0);
    const text = out.text();
    expect(text).toMatch(/76800 samples at 25600 Hz/);
    expect(text).toMatch(/BPFO\s+107\.54/);
    expect(text).toMatch(/Diagnosis: outer-race, confidence/);
    expect(text).toMatch(/ISO 10816-3 zone: [ABCD]/);
  });

  it("without bearing data it reports features and says why there is no diagnosis", async () => {
    const out = captureStdout();
    expect(await command.run(base())).toBe(0);
    expect(out.text()).toMatch(/Diagnosis: not computed/);
  });

  it("answers a wrong command line with a usage error (exit 2 through main)", async () => {
    await expect(command.run(["--in", file, "--rate", "25600"])).rejects.toThrow(UsageError);
    await expect(command.run(["--in", file, "--rate", "0", "--scale", "1"])).rejects.toThrow(/--rate expects a positive number/);
    await expect(command.run([...base(), "--bearing", "balls=9"])).rejects.toThrow(/needs --rpm|needs ball=/);
    await expect(command.run([...base(), "--rpm", "1800", "--bearing", "balls=9,ball=x"])).rejects.toThrow(/key=number/);
    captureStdout();
    expect(await main(["analyze", "--in", file])).toBe(2);
    expect(await main(["analyze", ...base(), "--bogus"])).toBe(2);
  });

  it("a missing or truncated file is a failure with a message, not a crash", async () => {
    captureStdout();
    expect(await command.run(["--in", join(dir, "none.i16"), "--rate", "1000", "--scale", "1"])).toBe(1);
    const odd = join(dir, "odd.i16");
    writeFileSync(odd, Buffer.alloc(101));
    expect(await command.run(["--in", odd, "--rate", "1000", "--scale", "1"])).toBe(1);
    expect(console.error).toHaveBeenCalledWith(expect.stringMatching(/not a whole number of 1-channel int16 frames/));
  });

  it("parses bearing geometry", () => {
    expect(parseBearing("balls=9,ball=0.3126,pitch=1.537,angle=0")).toEqual(SKF_6205);
    expect(parseBearing("balls=8, ball=7.9, pitch=39")).toEqual({ balls: 8, ballDiameter: 7.9, pitchDiameter: 39, contactAngleDeg: 0 });
    expect(() => parseBearing("balls=8.5,ball=1,pitch=2")).toThrow(/integer/);
    expect(() => parseBearing("balls=8,ball=1,pitch=2,diam=3")).toThrow(/unknown/);
  });
});
