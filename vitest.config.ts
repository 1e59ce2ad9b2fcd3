import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // fast-check properties run with a fixed seed (FAST_CHECK_SEED to change it): failures reproduce.
    setupFiles: ["test/setup/fast-check.ts"],
  },
});
