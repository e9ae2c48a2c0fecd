// Raw open-batch parts: rebuilt into exactly the frame the batch would have closed as; bad parts are a FrameError.
import { describe, expect, it } from "vitest";
import { decodeFrame, FrameError } from "../../agent/codec/index.js";
import { encodeOpenPart, frameFromOpenParts } from "../../agent/codec/open-batch.js";

const channels = [{ name: "t", unit: "degC", scale: 0.01, offset: 0 }];
const T0 = 1_764_000_000_000;

describe("open-batch parts", () => {
  it("parts of a bounded stream rebuild a bounded frame with the stream's tolerance", () => {
    const times = Array.from({ length: 40 }, (_, i) => T0 + i * 1000);
    const values = [times.map((_, i) => 500 + (i % 3))];
    const parts = [encodeOpenPart({ channels, untrusted: false, maxError: 0.05, heartbeatMs: 900_000 }, times, values, 0, 25), encodeOpenPart(undefined, times, values, 25, 40)];
    const f = frameFromOpenParts("room/t", 7, parts);
    const d = decodeFrame(f.bytes);
    expect(d.seq).toBe(7);
    expect(d.maxError).toBe(0.05);
    expect(d.times[0]).toBe(T0);
    expect(d.times[d.times.length - 1]).toBe(T0 + 39_000);
    expect(f.untrusted).toBe(false);
  });

  it("counts beyond 32 bits survive a part", () => {
    const times = [T0, T0 + 1];
    const values = [[2 ** 40, -(2 ** 40)]];
    const d = decodeFrame(frameFromOpenParts("s", 1, [encodeOpenPart({ channels, untrusted: false }, times, values, 0, 2)]).bytes);
    expect(Array.from(d.channels[0].counts)).toEqual([2 ** 40, -(2 ** 40)]);
  });

  it("rejects a batch without its first part, a truncated part and parts of different kinds", () => {
    const times = [T0, T0 + 1000];
    const values = [[1, 2]];
    const first = encodeOpenPart({ channels, untrusted: false }, times, values, 0, 1);
    const second = encodeOpenPart(undefined, times, values, 1, 2);
    expect(() => frameFromOpenParts("s", 1, [second])).toThrow(FrameError);
    expect(() => frameFromOpenParts("s", 1, [first.subarray(0, first.length - 3)])).toThrow(FrameError);
    expect(() => frameFromOpenParts("s", 1, [first, encodeOpenPart(undefined, undefined, values, 1, 2)])).toThrow(FrameError);
    expect(() => frameFromOpenParts("s", 1, [])).toThrow(FrameError);
  });
});
