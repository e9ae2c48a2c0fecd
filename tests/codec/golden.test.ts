import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame } from "../../agent/codec/index.js";
import { sampleFrames } from "./fixtures.js";
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
      const now = snapshot(decodeFrame(encodeFrame(input).bytes)) as Record<string, unknown>;
      // Size and predictor choice may improve without a format change; the data may not.
      const strip = ({ byteLength: _b, predictors: _p, ...rest }: Record<string, unknown>) => rest;
      expect(strip(now)).toEqual(strip(expected));
    }
  });
});
