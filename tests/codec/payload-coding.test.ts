// Payload coding 2 of irregular frames (agent/codec/irregular-payload.ts, residual-coder.ts) next to coding 1,
// which format version 1 released and which must stay exactly as it was.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame, FrameError } from "../../agent/codec/index.js";
import { writeCrc } from "../../agent/codec/frame.js";
import { RangeDecoder, RangeEncoder } from "../../agent/codec/range-coder.js";
import { decodeResidual, decodeWhole, encodeResidual, encodeWhole, MAX_RESIDUAL, PRIORS, ResidualModel } from "../../agent/codec/residual-coder.js";
import { jitteredTemperature, lcg, sampleFrames, T0 } from "./fixtures.js";
import { snapshot } from "./golden/snapshot.js";

const golden = join(import.meta.dirname, "golden");
const temp = [{ name: "temperature", unit: "degC", scale: 0.01, offset: 0 }];
const CODING_2 = ["irregular", "bounded"] as const;


function frame(times: number[], values: number[], payloadCoding: 1 | 2) {
  return encodeFrame({ kind: "irregular", stream: "room/t", seq: 1, channels: temp, times, values: [values], payloadCoding });
}

describe("payload coding 1 stays decodable", () => {
  // (bounded frames are left out: their vertices are the encoder's choice, which changed since v1)
  for (const name of ["irregular"]) {
    it(`${name}: a version-2 frame with payload coding 1 holds the content of the v1 golden frame`, () => {
      const strip = ({ byteLength: _b, version: _v, header: _h, streamId: _s, ...rest }: Record<string, unknown>) => rest;
      const expected = JSON.parse(readFileSync(join(golden, "v1", `${name}.json`), "utf8"));
      const now = snapshot(decodeFrame(encodeFrame({ ...sampleFrames[name], payloadCoding: 1 } as never).bytes)) as Record<string, unknown>;
      expect(strip(now)).toEqual(strip(expected));
    });
  }
});

describe("payload coding 2", () => {
  it("decodes to the same data as coding 1 on the same input, and is smaller on a 60-reading temperature batch", () => {
    const { times, values } = jitteredTemperature(60, 9);
    const one = frame(times, values, 1);
    const two = frame(times, values, 2);
    const strip = ({ byteLength: _b, predictors: _p, ...rest }: Record<string, unknown>) => rest;
    expect(strip(snapshot(decodeFrame(two.bytes)) as Record<string, unknown>)).toEqual(strip(snapshot(decodeFrame(one.bytes)) as Record<string, unknown>));
    expect(two.bytes.length).toBeLessThan(one.bytes.length);
  });

  it("timestamps on a jittered grid, with gaps, a phase step and a clock going backwards, round-trip", () => {
    const step = fc.oneof(fc.constant(60_000), fc.constantFrom(59_000, 61_000), fc.constantFrom(300_000, 180_000), fc.integer({ min: -90_000, max: 90_000 }), fc.constant(0));
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 200 }), fc.integer({ min: -5000, max: 5000 }), (steps, start) => {
        const times = [T0];
        for (const s of steps) times.push(times[times.length - 1] + s);
        const values = times.map((_, i) => start + ((i * 7) % 13) - 6);
        const d = decodeFrame(frame(times, values, 2).bytes);
        expect(Array.from(d.times)).toEqual(times);
        expect(Array.from(d.channels[0].counts)).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it("a grid time mode with a nominal interval below 1 is refused, not divided by", () => {
    // A clock on a 60 s grid, some readings a second early: the grid mode codes it best.
    const early = [0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1];
    const times = early.map((e, i) => T0 + (i * 60 - e) * 1000);
    const f = frame(times, times.map((_, i) => i), 2).bytes;
    // time plan byte: mode 2 | coding-2 bit 0x04 | quantum code 10 (1 * 10^3 ms) << 3 = 0x56; nominal 60 (zigzag 0x78)
    const at = Buffer.from(f).indexOf(Buffer.from([0x56, 0x78]));
    expect(at).toBeGreaterThan(0);
    f[at + 1] = 0;
    writeCrc(f);
    expect(() => decodeFrame(f)).toThrow(/grid time mode with nominal interval 0/);
  });

  it("residuals of any size and sign round-trip through one model, in both sign modes, and whole values too", () => {
    const residual = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -5000, max: 5000 }), fc.constantFrom(MAX_RESIDUAL, -MAX_RESIDUAL, 2 ** 32, -(2 ** 32), 2 ** 31 - 1, 2 ** 25, -(2 ** 25)), fc.integer({ min: -MAX_RESIDUAL, max: MAX_RESIDUAL }));
    fc.assert(
      fc.property(fc.array(residual, { maxLength: 400 }), fc.boolean(), (vs, signApart) => {
        const enc = new RangeEncoder();
        const m = new ResidualModel(signApart ? PRIORS.values : PRIORS.times, signApart);
        for (const v of vs) {
          encodeResidual(enc, m, v);
          encodeWhole(enc, v);
        }
        const bytes = enc.finish();
        const dec = new RangeDecoder(bytes, 0, bytes.length);
        const d = new ResidualModel(signApart ? PRIORS.values : PRIORS.times, signApart);
        const out: number[] = [];
        for (let i = 0; i < vs.length; i++) {
          out.push(decodeResidual(dec, d));
          expect(decodeWhole(dec)).toBe(vs[i]);
        }
        expect(out).toEqual(vs);
      }),
      { numRuns: 300 },
    );
  });

  it("a long constant series costs almost nothing and still round-trips", () => {
    const n = 100_000;
    const times = Array.from({ length: n }, (_, i) => T0 + i * 60_000);
    const f = frame(times, new Array(n).fill(2150), 2);
    expect(f.bytes.length).toBeLessThan(200);
    const d = decodeFrame(f.bytes);
    expect(d.count).toBe(n);
    expect(d.channels[0].counts.every((v) => v === 2150)).toBe(true);
  });

  it("a coding-2 frame that claims more samples than its payload can hold is refused", () => {
    const rnd = lcg(3);
    const times = Array.from({ length: 50 }, (_, i) => T0 + i * 60_000 + Math.floor(rnd() * 3) * 1000);
    const f = frame(times, times.map(() => Math.floor(rnd() * 100)), 2).bytes;
    const count = 1 << 23; // where the count lives (version 2): after t0 (bytes 3-8), length and seq (one byte each here)
    expect(f[11]).toBe(50);
    const forged = new Uint8Array([...f.subarray(0, 11), 0x80 | (count & 0x7f), 0x80 | ((count >> 7) & 0x7f), 0x80 | ((count >> 14) & 0x7f), count >> 21, ...f.subarray(12)]);
    forged[9] = forged.length; // frame length (one byte: the frame is short)
    writeCrc(forged);
    expect(() => decodeFrame(forged)).toThrow(/cannot fit/);
    expect(() => decodeFrame(forged)).toThrow(FrameError);
  });
});
