// The directory of edge-agent's package.json, found by walking up from this file: works from source and from dist/.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
      if (pkg.name === "edge-agent") return (cached = dir);
    } catch {
      /* not here: keep walking up */
    }
    if (dirname(dir) === dir) throw new Error("edge-agent: cannot find the package root");
  }
}
