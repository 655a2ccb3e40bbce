// One fresh database per test run: a new database on DATABASE_URL's server when it
// is set (CI: the machine's Postgres), otherwise the embedded PostgreSQL `npm start`
// uses (lib/db/embedded.ts), in a temp folder.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createFreshDatabase } from "@/test/helpers/fresh-database";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "@/lib/db/schema-engine";
import { startEmbeddedServer } from "@/lib/db/embedded";

declare module "vitest" {
  export interface ProvidedContext {
    testEnv: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sairaph-test-"));
  // As root the embedded server runs as the `postgres` user, who must reach its folder.
  chmodSync(dataDir, 0o711);
  const baseUrl = process.env.DATABASE_URL?.trim();
  let url: string;
  let teardown: () => Promise<void>;
  if (baseUrl) {
    const fresh = await createFreshDatabase(baseUrl, "test");
    url = fresh.url;
    teardown = fresh.drop;
  } else {
    const server = await startEmbeddedServer(path.join(dataDir, "embedded"));
    url = server.url;
    teardown = () => server.stop();
  }
  await applyMigrations(url);
  const testEnv = {
    DATABASE_URL: url,
    SAIRAPH_DATA_DIR: dataDir,
    SAIRAPH_MASTER_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: randomBytes(32).toString("hex"),
    SAIRAPH_REGION: "eu",
    MAIL_PROVIDER: "local",
    SAIRAPH_WORKER: "off",
    SAIRAPH_LOG_LEVEL: "warn",
    SAIRAPH_INBOUND_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
    RESEND_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
    // A zone behind UTC with an odd offset (-09:30), so a timestamp read as local time fails a test.
    TZ: "Pacific/Marquesas",
  };
  project.provide("testEnv", testEnv);
  return async () => {
    await teardown();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
