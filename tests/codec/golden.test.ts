import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame } from "../../agent/codec/index.js";
import { sampleFrames } from "./fixtures.js";
import { worstError } from "./bounded-check.js";
import { snapshot } from "./golden/snapshot.js";

const root = join(import.meta.dirname, "golden");
const versions = readdirSync(root).filter((d) => /^v\d+$/.test(d));

describe("golden frames: every released format version stays decodable", () => {
  it("has golden frames of version 1", () => {
    expect(versions).toContain("v1");
    expect(readdirSync(join(root, "v1")).filter((f) => f.endsWith(".frame")).length).toBe(Object.keys(sampleFrames).length);
  });

  for (const v of versions) {
    for (const file of readdirSync(join(root, v)).filter((f) => f.endsWith(".frame"))) {
      it(`${v}/${file} decodes to its recorded content`, () => {
        const bytes = new Uint8Array(readFileSync(join(root, v, file)));
        const expected = JSON.parse(readFileSync(join(root, v, file.replace(/\.frame$/, ".json")), "utf8"));
        expect(snapshot(decodeFrame(bytes))).toEqual(expected);
      });
    }
  }

  it("today's encoder still produces the recorded v1 content from the same input", () => {
    for (const [name, input] of Object.entries(sampleFrames)) {
      const expected = JSON.parse(readFileSync(join(root, "v1", `${name}.json`), "utf8"));
      const decoded = decodeFrame(encodeFrame(input).bytes);
      const now = snapshot(decoded) as Record<string, unknown>;
      // Size and predictor choice may improve without a format change; the data may not.
      const strip = ({ byteLength: _b, predictors: _p, ...rest }: Record<string, unknown>) => rest;
      if (input.kind === "irregular" && input.maxError !== undefined) {
        // A bounded frame's vertices are the encoder's choice too: what may not change is the bound they keep.
        const shape = ({ count: _n, times: _t, timeQuantumMs: _q, channels, ...rest }: Record<string, unknown>) => ({
          ...strip(rest),
          channels: (channels as Record<string, unknown>[]).map(({ counts: _c, ...c }) => c),
        });
        expect(shape(now)).toEqual(shape(expected));
        expect(worstError(input.times, input.values[0], decoded) * input.channels[0].scale).toBeLessThanOrEqual(input.maxError + 1e-12);
        continue;
      }
      expect(strip(now)).toEqual(strip(expected));
    }
  });
});
