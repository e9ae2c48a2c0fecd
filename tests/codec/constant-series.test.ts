// Regression: a long run of zero residuals (a constant signal) ends the range coder's output in many zero bytes.
// Dropping all of them made such frames decode as "truncated" - a lossless encoder must never produce that.
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame } from "../../agent/codec/index.js";

const T0 = 1_764_000_000_000;
const ch = [{ name: "x", unit: "g", scale: 0.0039, offset: 0 }];

describe("constant series round-trip exactly", () => {
  it("regular blocks of zeros and of a constant, every length up to 2000", () => {
    for (const value of [0, 256, -1]) {
      for (let n = 1; n <= 2000; n += n < 100 ? 1 : 37) {
        const x = new Int32Array(n).fill(value);
        const d = decodeFrame(encodeFrame({ kind: "regular", stream: "s", seq: 1, channels: ch, t0: T0, rateHz: 3200, values: [x] }).bytes);
        expect(d.count).toBe(n);
        expect(d.channels[0].counts.every((v) => v === value)).toBe(true);
      }
    }
  });

  it("irregular series with constant values and a perfectly regular clock", () => {
    for (let n = 1; n <= 3000; n += n < 100 ? 1 : 101) {
      const times = Array.from({ length: n }, (_, i) => T0 + i * 1000);
      const d = decodeFrame(encodeFrame({ kind: "irregular", stream: "s", seq: 1, channels: ch, times, values: [new Array(n).fill(0)] }).bytes);
      expect(Array.from(d.times)).toEqual(times);
      expect(d.channels[0].counts.every((v) => v === 0)).toBe(true);
    }
  });
});
