// npm start refuses a bad environment with one line naming the variable, before
// touching any database or building anything.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

function start(env: Record<string, string | undefined>) {
  const clean: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: process.env.HOME, SAIRAPH_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "sairaph-start-")) };
  const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
    env: { ...clean, ...env } as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("start-up validation", () => {
  it.each([
    [{ SAIRAPH_MASTER_KEY: "not-base64" }, "SAIRAPH_MASTER_KEY"],
    [{ SAIRAPH_MASTER_KEY: Buffer.alloc(16).toString("base64") }, "SAIRAPH_MASTER_KEY"],
    [{ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x" }, "SAIRAPH_MASTER_KEY"],
    [{ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x", SAIRAPH_MASTER_KEY: Buffer.alloc(32).toString("base64") }, "AUTH_SECRET"],
    [{ DATABASE_URL: "mysql://nope" }, "DATABASE_URL"],
    [{ PORT: "http" }, "PORT"],
    [{ MAIL_PROVIDER: "smtp" }, "MAIL_PROVIDER"],
    [{ MAIL_PROVIDER: "resend" }, "RESEND_API_KEY"],
    [{ SAIRAPH_INBOUND_SECRET: "secret" }, "SAIRAPH_INBOUND_SECRET"],
    [{ SAIRAPH_PUBLIC_URL: "localhost:3000" }, "SAIRAPH_PUBLIC_URL"],
    [{ SAIRAPH_PUBLIC_URL: "ftp://mail.example.com" }, "SAIRAPH_PUBLIC_URL"],
  ])("%o stops with one line naming %s", (env, name) => {
    const { code, output } = start(env);
    expect(code).toBe(1);
    const lines = output.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });
});
