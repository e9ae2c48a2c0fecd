import { defineConfig } from "vitest/config";

// Unit, contract, integration and fault tests. They never need ../shared/data.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/realdata/**", "tests/kernel/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most files wait on brokers, child processes and SQLite rather than the CPU: on a 2-core machine the default
    // (one worker) leaves it idle.
    maxWorkers: 4,
  },
});
