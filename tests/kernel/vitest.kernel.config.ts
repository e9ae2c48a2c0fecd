import { join } from "node:path";
import { defineConfig } from "vitest/config";

// The suite that runs inside the QEMU guest (tests/kernel/run.sh boots it). It needs the guest's
// i2c-stub and gpio-sim, so it refuses to run anywhere else instead of skipping.
export default defineConfig({
  // The checkout is mounted read-only in the guest: every cache goes to tmpfs.
  cacheDir: join(process.env.TMPDIR ?? "/tmp", "vite-cache"),
  test: {
    include: ["tests/kernel/**/*.test.ts"],
    globalSetup: ["tests/kernel/guest-only.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time: the tests share one i2c-stub and one gpio-sim, and the guest has 2 slow CPUs.
    fileParallelism: false,
    pool: "forks",
  },
});
