import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configReference } from "../../config/reference.js";
import { repoRoot } from "../helpers/cli.js";

describe("docs/config.md", () => {
  it("is what the schema generates (run `npm run docs:config` after changing the schema)", () => {
    expect(readFileSync(join(repoRoot, "docs", "config.md"), "utf8")).toBe(configReference());
  });

  it("documents every sensor and processor type", () => {
    const doc = configReference();
    for (const t of ["sht3x", "sht4x", "tmp102", "mcp9808", "bme280", "adxl345", "lis3dh", "mpu6050", "gpio-door", "modbus"]) {
      expect(doc).toContain(`{type=${t}}`);
    }
    for (const t of ["door", "temperature-alarm", "sensor-fault", "vibration"]) expect(doc).toContain(`processors[]{type=${t}}`);
  });
});
