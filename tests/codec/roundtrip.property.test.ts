import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame } from "../../agent/codec/index.js";

const T0 = 1_700_000_000_000;
const LIMIT = 2 ** 46 - 1;
const temp = [{ name: "temp", unit: "degC", scale: 0.01, offset: 0 }];

/** Timestamps that drift, jitter, repeat, jump and go backwards. */
const timeSteps = fc.array(
  fc.oneof(
    fc.constant(60_000),
    fc.integer({ min: 59_000, max: 61_000 }),
    fc.constant(0),
    fc.integer({ min: -3_600_000, max: 3_600_000 }),
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  ),
  { maxLength: 300 },
);
const count = fc.oneof(fc.integer({ min: -3000, max: 3000 }), fc.constantFrom(0, LIMIT, -LIMIT, 1, -1), fc.integer({ min: -LIMIT, max: LIMIT }));

function series(steps: number[]): number[] {
  const t = [T0];
  for (const s of steps) t.push(t[t.length - 1] + s);
  return t;
}

describe("lossless round trip", () => {
  it("irregular series decode to exactly the input (any times, any counts, empty, one point)", () => {
    fc.assert(
      fc.property(timeSteps, fc.array(count, { maxLength: 301 }), fc.boolean(), (steps, vals, untrusted) => {
        const times = vals.length === 0 ? [] : series(steps).slice(0, vals.length);
        const values = vals.slice(0, times.length);
        const f = encodeFrame({ kind: "irregular", stream: "room/temp", seq: 7, untrusted, channels: temp, times, values: [values] });
        const d = decodeFrame(f.bytes);
        expect(d.count).toBe(times.length);
        expect(Array.from(d.times)).toEqual(times);
        expect(Array.from(d.channels[0].counts)).toEqual(values);
        expect(d.untrusted).toBe(untrusted);
        expect(d.stream).toBe("room/temp");
        expect(d.seq).toBe(7);
        expect(d.channels[0]).toMatchObject(temp[0]);
      }),
      { numRuns: 300 },
    );
  });

  it("constant and multi-channel series share one time axis", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: -LIMIT, max: LIMIT }), fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 700, maxLength: 700 }), (n, k, noise) => {
        const times = Array.from({ length: n }, (_, i) => T0 + i * 1000);
        const channels = [
          { name: "temperature", unit: "degC", scale: 0.01, offset: -45 },
          { name: "humidity", unit: "%RH", scale: 100 / 65535, offset: 0 },
        ];
        const values = [times.map(() => k), noise.slice(0, n)];
        const d = decodeFrame(encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels, times, values }).bytes);
        expect(Array.from(d.channels[0].counts)).toEqual(values[0]);
        expect(Array.from(d.channels[1].counts)).toEqual(values[1]);
        expect(d.channels[1].scale).toBe(100 / 65535);
        expect(d.channels[0].offset).toBe(-45);
      }),
      { numRuns: 50 },
    );
  });

  it("regular blocks (LPC path included) decode exactly, timestamps implied", () => {
    const wave = fc.record({
      n: fc.integer({ min: 0, max: 9000 }),
      amp: fc.integer({ min: 0, max: 2 ** 20 }),
      freq: fc.double({ min: 0.001, max: 0.49, noNaN: true }),
      noise: fc.integer({ min: 0, max: 5000 }),
      seed: fc.integer(),
      extreme: fc.boolean(),
    });
    fc.assert(
      fc.property(wave, ({ n, amp, freq, noise, seed, extreme }) => {
        let s = seed | 0;
        const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 8) / 2 ** 24;
        const x = new Int32Array(n);
        for (let i = 0; i < n; i++) x[i] = extreme && i % 97 === 0 ? (i % 2 ? 2 ** 31 - 1 : -(2 ** 31)) : Math.round(amp * Math.sin(2 * Math.PI * freq * i) + noise * (rnd() - 0.5));
        const f = encodeFrame({ kind: "regular", stream: "pump/vib", seq: 3, channels: [{ name: "x", unit: "g", scale: 0.0039, offset: 0 }], t0: T0, rateHz: 3200, values: [x] });
        const d = decodeFrame(f.bytes);
        expect(d.kind).toBe("regular");
        expect(d.rateHz).toBe(3200);
        expect(Array.from(d.channels[0].counts)).toEqual(Array.from(x));
        if (n > 1) expect(d.times[n - 1]).toBe(T0 + ((n - 1) * 1000) / 3200);
      }),
      { numRuns: 40 },
    );
  });

  it("a long block spanning several predictor segments decodes exactly", () => {
    const n = 150_000;
    const x = new Int32Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.round(3000 * Math.sin(i * (i < 70_000 ? 0.05 : 0.31)) + ((i * 7919) % 200)) | 0;
    x[65_536] = 2 ** 31 - 1; // an outlier right at a segment boundary
    const d = decodeFrame(encodeFrame({ kind: "regular", stream: "s", seq: 1, channels: [{ name: "x", unit: "g", scale: 1, offset: 0 }], t0: T0, rateHz: 48_000, values: [x] }).bytes);
    expect(d.predictors[0].length).toBe(3);
    expect(Buffer.from(new Int32Array(d.channels[0].counts).buffer).equals(Buffer.from(x.buffer))).toBe(true);
  });

  it("events keep type, severity and data", () => {
    const ev = fc.record({
      t: fc.integer({ min: T0 - 1e9, max: T0 + 1e9 }),
      type: fc.string(),
      severity: fc.constantFrom(undefined, "info", "warning", "critical" as const),
      data: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
    });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 5 }), (events) => {
        const items = events.map(({ severity, ...e }) => (severity ? { ...e, severity } : e));
        const d = decodeFrame(encodeFrame({ kind: "event", stream: "door/1", seq: 9, events: items }).bytes);
        expect(d.events).toEqual(items);
      }),
      { numRuns: 200 },
    );
  });
});

describe("bad input to the encoder", () => {
  it("rejects non-integer counts and out-of-range times with a clear message", () => {
    expect(() => encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels: temp, times: [T0], values: [[1.5]] })).toThrow(/not an integer count/);
    expect(() => encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels: temp, times: [2 ** 50], values: [[1]] })).toThrow(/epoch ms/);
  });
});
