import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame, StreamNames, streamId } from "../../agent/codec/index.js";
import { goldenInputs, sampleFrames } from "./fixtures.js";
import { worstError } from "./bounded-check.js";
import { snapshot } from "./golden/snapshot.js";

const root = join(import.meta.dirname, "golden");
const versions = readdirSync(root).filter((d) => /^v\d+$/.test(d));
type Json = Record<string, unknown>;
const read = (v: string, name: string): Json => JSON.parse(readFileSync(join(root, v, `${name}.json`), "utf8")) as Json;

/** Fields the decoder gained after a version's golden files were recorded, as they must decode for that version. */
function laterFields(recorded: Json): Json {
  const later: Json = { header: "full", streamId: streamId(recorded.stream as string) };
  return Object.fromEntries(Object.entries(later).filter(([k]) => !(k in recorded)));
}

describe("golden frames: every released format version stays decodable", () => {
  it("has golden frames of versions 1 and 2", () => {
    expect(versions).toEqual(expect.arrayContaining(["v1", "v2"]));
    expect(readdirSync(join(root, "v1")).filter((f) => f.endsWith(".frame")).length).toBe(Object.keys(sampleFrames).length);
    expect(readdirSync(join(root, "v2")).filter((f) => f.endsWith(".frame")).length).toBe(Object.keys(goldenInputs).length);
  });

  for (const v of versions) {
    for (const file of readdirSync(join(root, v)).filter((f) => f.endsWith(".frame"))) {
      it(`${v}/${file} decodes to its recorded content`, () => {
        const bytes = new Uint8Array(readFileSync(join(root, v, file)));
        const expected = read(v, file.replace(/\.frame$/, ""));
        expect(snapshot(decodeFrame(bytes))).toEqual({ ...expected, ...laterFields(expected) });
      });
    }
  }

  it("a compact golden frame names its stream once the consumer knows the name", () => {
    const bytes = new Uint8Array(readFileSync(join(root, "v2", "compact.frame")));
    expect(decodeFrame(bytes).stream).toBeUndefined();
    const f = decodeFrame(bytes, { streams: new StreamNames(["coldroom-1/door", "coldroom-1/temperature"]) });
    expect(f.stream).toBe("coldroom-1/temperature");
    expect(f.streamId).toBe(streamId("coldroom-1/temperature"));
  });

  // Size and predictor choice may improve without a format change; the data may not.
  const strip = ({ byteLength: _b, predictors: _p, ...rest }: Json) => rest;

  it("today's encoder still produces the recorded v1 content from the same input (in today's version)", () => {
    for (const [name, input] of Object.entries(sampleFrames)) {
      const decoded = decodeFrame(encodeFrame(input).bytes);
      const { version: _v, header: _h, streamId: _s, ...now } = snapshot(decoded) as Json;
      const { version: _w, ...expected } = read("v1", name);
      if (input.kind === "irregular" && input.maxError !== undefined) {
        // A bounded frame's vertices are the encoder's choice too: what may not change is the bound they keep.
        const shape = ({ count: _n, times: _t, timeQuantumMs: _q, channels, ...rest }: Json) => ({
          ...strip(rest),
          channels: (channels as Json[]).map(({ counts: _c, ...c }) => c),
        });
        expect(shape(now)).toEqual(shape(expected));
        expect(worstError(input.times, input.values[0], decoded) * input.channels[0].scale).toBeLessThanOrEqual(input.maxError + 1e-12);
        continue;
      }
      expect(strip(now)).toEqual(strip(expected));
    }
  });

  it("today's encoder produces the recorded v2 content from the same input", () => {
    for (const [name, input] of Object.entries(goldenInputs)) {
      expect(strip(snapshot(decodeFrame(encodeFrame(input).bytes)) as Json)).toEqual(strip(read("v2", name)));
    }
  });
});
