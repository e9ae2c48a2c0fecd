import { defineConfig } from "vitest/config";

// Tests on the real recordings in ../shared/data. They fail (never skip) when the data is missing.
export default defineConfig({
  test: {
    include: ["tests/realdata/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
