// A key's secret is shown once and stored nowhere: not in any table, not in the logs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as whoami from "@/app/api/v1/whoami/route";
import { revokeKey } from "@/lib/keys/issue-key";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { dumpDatabase } from "@/test/helpers/dump-database";
import { createTestKey, createTestWorld, TEST_ACTOR } from "@/test/helpers/factories";

setupTestDatabase();

let logged: string[] = [];
beforeEach(() => {
  logged = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

describe("key secrets", () => {
  it("never appear in the database or the logs, through issuance, use, failure and revocation", async () => {
    const world = await createTestWorld();
    const limited = await createTestKey(world.tenant.id, { mailboxId: world.mailbox.id, role: "read", requestsPerMinute: 1 });
    const secrets = [...Object.values(world.keys), limited.secret];
    for (const secret of secrets) await call(whoami.GET, "GET", "/api/v1/whoami", { key: secret });
    await call(whoami.GET, "GET", "/api/v1/whoami", { key: limited.secret }); // rate limited
    await revokeKey({ keyId: limited.key.id, actor: TEST_ACTOR });
    await call(whoami.GET, "GET", "/api/v1/whoami", { key: limited.secret }); // revoked

    const dump = await dumpDatabase();
    const logs = logged.join("\n");
    expect(dump).toContain(limited.key.id); // the dump is real
    for (const secret of secrets) {
      const random = secret.slice(8, 40);
      expect(dump).not.toContain(random);
      expect(logs).not.toContain(random);
    }
  });
});
