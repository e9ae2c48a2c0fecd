// The LPC + partitioned Rice coding of regular frames (the Rice flag, bit 6 of the kind byte): exact round trips on any series it takes, the
// range coder for counts it does not, and malformed payloads refused with a FrameError.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame, FrameError, type FrameInput } from "../../agent/codec/index.js";
import { BitReader, BitWriter } from "../../agent/codec/bit-io.js";
import { decodeLpcRice, encodeLpcRice } from "../../agent/codec/lpc-rice.js";
import { lcg, T0 } from "./fixtures.js";

/** Codec 3 takes counts in [-2^24, 2^24). */
const RICE_LIMIT = 2 ** 24 - 1;
const axes = ["x", "y", "z"].map((name) => ({ name, unit: "g", scale: 0.0039, offset: 0 }));

function regular(values: Int32Array[] | number[][]): FrameInput {
  return { kind: "regular", stream: "pump/vib", seq: 5, channels: axes.slice(0, values.length), t0: T0, rateHz: 3200, values };
}

/** Waveforms, constants, noise, extremes and jumps, at lengths around the coder's boundaries. */
const series = fc
  .record({
    n: fc.oneof(fc.constantFrom(0, 1, 2, 3, 15, 16, 17, 63, 64, 65, 4095, 4096, 4097), fc.integer({ min: 0, max: 3000 })),
    shape: fc.constantFrom("wave", "constant", "noise", "extreme", "jumps"),
    amp: fc.integer({ min: 0, max: 2 ** 23 }),
    freq: fc.double({ min: 0.001, max: 0.49, noNaN: true }),
    seed: fc.integer(),
  })
  .map(({ n, shape, amp, freq, seed }) => {
    const rnd = lcg(seed);
    const x = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (shape === "wave") x[i] = Math.round(amp * Math.sin(2 * Math.PI * freq * i) * 0.9 + (rnd() - 0.5) * 50);
      else if (shape === "constant") x[i] = amp;
      else if (shape === "noise") x[i] = Math.round((rnd() - 0.5) * 2 * amp);
      else if (shape === "extreme") x[i] = rnd() < 0.5 ? RICE_LIMIT : -RICE_LIMIT - 1;
      else x[i] = rnd() < 0.05 ? Math.round((rnd() - 0.5) * 2 * RICE_LIMIT) : i > 0 ? x[i - 1] : 0;
    }
    return x;
  });

describe("LPC + Rice coding of regular frames (the Rice flag, bit 6 of the kind byte)", () => {
  it("1 to 3 channels of any series in [-2^24, 2^24) decode exactly, through the Rice stage", () => {
    fc.assert(
      fc.property(fc.array(series, { minLength: 1, maxLength: 3 }), (chans) => {
        const n = chans[0].length;
        const values = chans.map((c) => Int32Array.from({ length: n }, (_, i) => c[i % Math.max(1, c.length)] ?? 0));
        const f = encodeFrame(regular(values));
        expect(f.bytes[2] & 0x40).toBe(0x40); // the Rice flag of the version 2 kind byte
        expect(f.codec).toMatch(/^lossless\/\w+-rice$/);
        const d = decodeFrame(f.bytes);
        expect(d.codec).toBe("lossless");
        expect(d.count).toBe(n);
        d.channels.forEach((c, k) => expect(Array.from(c.counts)).toEqual(Array.from(values[k])));
      }),
      { numRuns: 150 },
    );
  });

  it("segments of 65,536 samples: prediction runs across the boundary, an outlier sits on it", () => {
    const n = 140_000;
    const x = new Int32Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.round(20_000 * Math.sin(i * (i < 70_000 ? 0.013 : 0.4)) + ((i * 7919) % 300));
    x[65_536] = -RICE_LIMIT;
    x[65_535] = RICE_LIMIT;
    const f = encodeFrame(regular([x]));
    expect(f.bytes[2] & 0x40).toBe(0x40); // the Rice flag of the version 2 kind byte
    const d = decodeFrame(f.bytes);
    expect(d.predictors[0].length).toBe(3);
    expect(Array.from(d.channels[0].counts)).toEqual(Array.from(x));
  });

  it("a count outside [-2^24, 2^24) sends the frame through the range coder, still exact up to +-2^46", () => {
    const edges = [2 ** 24 - 1, -(2 ** 24), 2 ** 24, -(2 ** 24) - 1, 2 ** 46 - 1, -(2 ** 46 - 1)];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -3000, max: 3000 }), fc.constantFrom(...edges)), { minLength: 1, maxLength: 400 }), (vals) => {
        const outside = (v: number) => v >= 2 ** 24 || v < -(2 ** 24);
        const big = vals.some((v) => outside(v) || outside(-v));
        const f = encodeFrame(regular([vals, vals.map((v) => -v)]));
        expect(f.bytes[2] & 0x40).toBe(big ? 0 : 0x40);
        const d = decodeFrame(f.bytes);
        expect(Array.from(d.channels[0].counts)).toEqual(vals);
        expect(Array.from(d.channels[1].counts)).toEqual(vals.map((v) => -v || 0));
      }),
      { numRuns: 100 },
    );
  });
  // Truncation, bit flips and edits under a valid CRC: fuzz.test.ts runs them on the `waveform` fixture (the Rice flag, bit 6 of the kind byte).
});

describe("malformed Rice payloads", () => {
  /** Decodes a hand-written payload of `count` samples. */
  function decodePayload(write: (w: BitWriter) => void, count: number): Float64Array {
    const w = new BitWriter();
    write(w);
    const bytes = w.finish();
    const out = new Float64Array(count);
    const r = new BitReader(bytes, 0, bytes.length);
    decodeLpcRice(r, count, out);
    r.close();
    return out;
  }

  it("a hand-written payload decodes (the layout of docs/wire-format.md)", () => {
    // delta predictor, partition order 2 (4 samples), k = 1: residuals 5, -1, 0, 2 -> zigzag 10, 1, 0, 4
    const out = decodePayload((w) => {
      w.write(1, 2);
      w.write(2, 4);
      w.write(1, 5);
      for (const z of [10, 1, 0, 4]) {
        w.unary(z >> 1);
        w.write(z & 1, 1);
      }
    }, 4);
    expect(Array.from(out)).toEqual([5, 4, 4, 6]);
  });

  it("a payload the encoder wrote decodes to its input", () => {
    const x = Float64Array.from({ length: 5000 }, (_, i) => Math.round(1000 * Math.sin(i / 9)) || 0);
    const w = new BitWriter();
    encodeLpcRice(w, x);
    const bytes = w.finish();
    const out = new Float64Array(x.length);
    const r = new BitReader(bytes, 0, bytes.length);
    decodeLpcRice(r, x.length, out);
    r.close();
    expect(out).toEqual(x);
  });

  const cases: [string, (w: BitWriter) => void, number, RegExp][] = [
    ["Rice parameter 29", (w) => (w.write(0, 2), w.write(4, 4), w.write(29, 5)), 4, /Rice parameter 29/],
    ["partition order 13", (w) => (w.write(0, 2), w.write(13, 4)), 4, /partition order 13/],
    ["escape width 60", (w) => (w.write(0, 2), w.write(4, 4), w.write(31, 5), w.write(60, 6)), 4, /escaped residuals of 60 bits/],
    ["a unary run past the end", (w) => (w.write(0, 2), w.write(4, 4), w.write(0, 5), w.write(0, 24)), 4, /truncated|Rice quotient/],
    ["a value of 2^24", (w) => (w.write(0, 2), w.write(0, 4), w.write(31, 5), w.write(26, 6), w.writeWide(2 ** 25, 26)), 1, /out of range/],
    ["an unstable LPC that overflows", (w) => {
      w.write(3, 2);
      w.write(0, 5); // order 1
      w.write(15, 4); // precision 16
      w.write(0, 5); // shift 0
      w.write(20_000, 16); // c1 = 20000: x[i] = 20000 x[i-1] + r
      w.write(0, 4); // partitions of 1
      w.write(31, 5);
      w.write(2, 6);
      w.write(2, 2); // r = 1
      for (let i = 1; i < 6; i++) (w.write(31, 5), w.write(2, 6), w.write(2, 2));
    }, 6, /out of range/],
  ];
  for (const [name, write, count, message] of cases) {
    it(`${name} is a FrameError`, () => {
      expect(() => decodePayload(write, count)).toThrow(FrameError);
      expect(() => decodePayload(write, count)).toThrow(message);
    });
  }

  it("nonzero padding and bytes after the samples are FrameErrors", () => {
    const samples = (w: BitWriter) => (w.write(0, 2), w.write(0, 4), w.write(31, 5), w.write(0, 6)); // one zero sample
    expect(Array.from(decodePayload(samples, 1))).toEqual([0]);
    expect(() => decodePayload((w) => (samples(w), w.write(1, 1)), 1)).toThrow(/padding/);
    expect(() => decodePayload((w) => (samples(w), w.write(0, 8)), 1)).toThrow(/after the samples/);
  });
});

describe("implied timestamps of a regular frame", () => {
  it("are computed on first access, equal t0 + i * 1000 / rate, and stay the same array", () => {
    const f = decodeFrame(encodeFrame({ kind: "regular", stream: "m/v", seq: 1, channels: [{ name: "x", unit: "g", scale: 0.0039, offset: 0 }], t0: 1_700_000_000_000, rateHz: 12_000, values: [[1, 2, 3, 4, 5]] }).bytes);
    expect(Array.from(f.times)).toEqual([0, 1, 2, 3, 4].map((i) => 1_700_000_000_000 + (i * 1000) / 12_000));
    expect(f.times).toBe(f.times);
    expect({ ...f }.times).toBe(f.times); // enumerable like any other field: spreads and snapshots keep it
  });
});
