import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Next's marker package throws outside a React Server environment; tests are server code.
      "server-only": path.resolve(import.meta.dirname, "test/helpers/server-only-stub.ts"),
    },
  },
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    globalSetup: ["test/helpers/global-setup.ts"],
    setupFiles: ["test/helpers/setup-file.ts"],
    // Integration files share one database and truncate between files.
    fileParallelism: false,
    // Password hashing is scrypt at N = 2^17 (128 MiB, about a second on a busy 2-core box); tests that sign in several times need the room.
    testTimeout: 90_000,
    // CI reads the totals from the JSON report (not in test-results/, which Playwright empties) for its closing "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: "reports/vitest.json" }]] : ["default"],
    hookTimeout: 60_000,
  },
});
