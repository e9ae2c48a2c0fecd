import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, decodeFrames, encodeFrame, FrameError } from "../../agent/codec/index.js";
import { writeCrc } from "../../agent/codec/frame.js";
import { goldenInputs } from "./fixtures.js";

// Today's frames (full and compact headers) and the version 1 golden frames: every decodable version is fuzzed.
const v1 = join(import.meta.dirname, "golden", "v1");
const frames = [
  ...Object.entries(goldenInputs).map(([name, input]) => ({ name, bytes: encodeFrame(input).bytes })),
  ...readdirSync(v1)
    .filter((f) => f.endsWith(".frame"))
    .map((f) => ({ name: `v1/${f}`, bytes: new Uint8Array(readFileSync(join(v1, f))) })),
];

function decodeOrError(bytes: Uint8Array): unknown {
  try {
    return decodeFrame(bytes);
  } catch (e) {
    return e;
  }
}

describe("corrupt and truncated frames", () => {
  for (const { name, bytes } of frames) {
    const good = decodeFrame(bytes);

    it(`${name}: every truncation is a FrameError`, () => {
      for (let n = 0; n < bytes.length; n++) {
        const r = decodeOrError(bytes.subarray(0, n));
        expect(r, `cut at ${n}`).toBeInstanceOf(FrameError);
        expect((r as Error).message).toMatch(/truncated|corrupt|malformed|not an edge-agent/);
      }
    });

    it(`${name}: random byte changes never crash and never decode to different data`, () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
          const b = bytes.slice();
          for (const [at, v] of edits) b[at] = v;
          const r = decodeOrError(b);
          if (r instanceof FrameError) return;
          // Only an edit that changed nothing may decode, and then to the same data.
          expect(Buffer.from(b).equals(Buffer.from(bytes))).toBe(true);
          expect(r).toEqual(good);
        }),
        { numRuns: 500 },
      );
    });

    it(`${name}: single bit flips are all detected`, () => {
      for (let i = 0; i < bytes.length * 8; i++) {
        const b = bytes.slice();
        b[i >> 3] ^= 1 << (i & 7);
        expect(decodeOrError(b)).toBeInstanceOf(FrameError);
      }
    });
  }

  it("random bytes are rejected with a FrameError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(decodeOrError(b)).toBeInstanceOf(FrameError);
      }),
    );
  });

  it("an unknown version is named in the error", () => {
    const b = frames[0].bytes.slice();
    b[1] = 9;
    expect(() => decodeFrame(b)).toThrow(/unsupported frame version 9/);
  });

  it("concatenated frames split back, trailing garbage is an error", () => {
    const all = Buffer.concat(frames.map((f) => f.bytes));
    expect(decodeFrames(all).map((f) => f.seq)).toEqual(frames.map((f) => decodeFrame(f.bytes).seq));
    expect(() => decodeFrames(Buffer.concat([all, Buffer.from([0xea, 1, 2])]))).toThrow(FrameError);
    expect(() => decodeFrame(Buffer.concat([frames[0].bytes, Buffer.from([0])]))).toThrow(/after the frame/);
  });
});

describe("garbage with a valid CRC (a buggy or hostile encoder)", () => {
  for (const { name, bytes } of frames) {
    it(`${name}: the decoder only ever throws FrameError, never another exception`, () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.integer({ min: 2, max: bytes.length - 5 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
          const b = bytes.slice();
          for (const [at, v] of edits) b[at] = v;
          writeCrc(b);
          try {
            const f = decodeFrame(b);
            expect(f.count).toBeGreaterThanOrEqual(0);
          } catch (e) {
            expect(e).toBeInstanceOf(FrameError);
          }
        }),
        { numRuns: 1000 },
      );
    });
  }
});
