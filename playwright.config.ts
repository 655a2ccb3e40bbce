import { defineConfig } from "@playwright/test";

// Run through `npm run test:e2e`, which starts the app and sets E2E_BASE_URL.
export default defineConfig({
  testDir: "test/e2e",
  timeout: 60_000,
  // The machines that run these share two cores with builds and other suites: a
  // scrypt sign-up can take seconds there. Waiting longer is not a speed claim.
  expect: { timeout: 15_000 },
  retries: 0,
  workers: 1,
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "reports/playwright.json" }]] : [["list"]],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? "http://localhost:3210",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
    screenshot: "only-on-failure",
    trace: "off",
  },
});
