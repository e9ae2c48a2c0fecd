// Writes the golden frames of the CURRENT format version. Run it only when a new format version is introduced
// (`npx tsx tests/codec/golden/generate.ts v2`), into a new directory: old golden frames are never regenerated,
// they prove that every released version stays decodable.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeFrame } from "../../../agent/codec/index.js";
import { decodeFrame } from "../../../agent/codec/index.js";
import { goldenInputs } from "../fixtures.js";
import { snapshot } from "./snapshot.js";

const version = process.argv[2];
if (!version) throw new Error("usage: generate.ts <version directory, e.g. v1>");
const dir = join(import.meta.dirname, version);
mkdirSync(dir, { recursive: true });
for (const [name, input] of Object.entries(goldenInputs)) {
  const bytes = encodeFrame(input).bytes;
  writeFileSync(join(dir, `${name}.frame`), bytes);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(snapshot(decodeFrame(bytes)), null, 1) + "\n");
}
console.log(`wrote ${Object.keys(goldenInputs).length} golden frames to ${dir}`);
