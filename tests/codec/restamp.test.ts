import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame, FrameError, restampFrame } from "../../agent/codec/index.js";
import { sampleFrames } from "./fixtures.js";

describe("restampFrame", () => {
  for (const [name, input] of Object.entries(sampleFrames)) {
    it(`${name}: shifts every timestamp, clears the untrusted flag, keeps the data`, () => {
      const bytes = encodeFrame({ ...input, untrusted: true }).bytes;
      const before = decodeFrame(bytes);
      expect(before.untrusted).toBe(true);
      const delta = 123_456_789;
      const out = restampFrame(bytes, delta);
      const after = decodeFrame(out);
      expect(after.untrusted).toBe(false);
      expect(Array.from(after.times)).toEqual(Array.from(before.times, (t) => t + delta));
      expect(after.channels.map((c) => Array.from(c.counts))).toEqual(before.channels.map((c) => Array.from(c.counts)));
      expect(after.events?.map((e) => e.t)).toEqual(before.events?.map((e) => e.t + delta));
      expect(out.length).toBe(bytes.length);
      expect(decodeFrame(bytes).untrusted).toBe(true); // the input is not modified
    });
  }

  it("refuses a corrupt frame instead of re-signing it", () => {
    const b = encodeFrame(sampleFrames.irregular).bytes.slice();
    b[20] ^= 0xff;
    expect(() => restampFrame(b, 1000)).toThrow(FrameError);
  });
});
