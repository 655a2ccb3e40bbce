import { describe, expect, it } from "vitest";
import { runCli } from "@/lib/cli/run-cli";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { getDb } from "@/lib/db";
import { setupTestDatabase } from "@/test/helpers/db";

setupTestDatabase();

let typedPassword = "";

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, (l) => out.push(l), (l) => err.push(l), async () => typedPassword);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("operator CLI", () => {
  it("user create: a verified first account owning its own tenant, which signs in at once", async () => {
    typedPassword = "short";
    const refused = await cli("user", "create", "--email", "ops@example.test", "--password-stdin");
    expect(refused).toMatchObject({ code: 1, err: expect.stringContaining("at least") });
    expect(await getDb().user.count({ where: { email: "ops@example.test" } })).toBe(0);

    typedPassword = "the operator's password";
    const created = await cli("user", "create", "--email", "Ops@Example.test", "--tenant-name", "Ops", "--password-stdin", "--json");
    expect(created.code).toBe(0);
    const { userId, tenantId } = JSON.parse(created.out);
    const user = await getDb().user.findUniqueOrThrow({ where: { id: userId }, include: { memberships: true } });
    expect(user.email).toBe("ops@example.test");
    expect(user.emailVerified).not.toBeNull();
    expect(user.memberships).toMatchObject([{ tenantId, role: "owner" }]);
    expect(await getDb().tenant.findUniqueOrThrow({ where: { id: tenantId } })).toMatchObject({ name: "Ops", createdById: userId });
    expect((await authenticateWithPassword({ email: "ops@example.test", password: "the operator's password", ip: null })).outcome).toBe("ok");

    const again = await cli("user", "create", "--email", "ops@example.test", "--password-stdin");
    expect(again).toMatchObject({ code: 1, err: expect.stringContaining("already exists") });
  });

  it("creates a tenant, a domain and a mailbox, printing one JSON object each", async () => {
    const tenant = await cli("tenant", "create", "--name", "Acme", "--json");
    expect(tenant.code).toBe(0);
    const { tenantId } = JSON.parse(tenant.out);
    expect((await getDb().tenant.findUniqueOrThrow({ where: { id: tenantId } })).region).toBe("eu");

    // A real domain is pending until its TXT record is published: the CLI prints the record.
    const pending = await cli("domain", "add", "--tenant", tenantId, "--domain", "Agents.Acme.test", "--json");
    expect(pending.code).toBe(0);
    const claim = await getDb().domain.findFirstOrThrow({ where: { tenantId, name: "agents.acme.test" } });
    expect(JSON.parse(pending.out)).toMatchObject({
      domain: "agents.acme.test",
      status: "pending",
      verificationRecord: { type: "TXT", name: "_sairaph-verify.agents.acme.test", value: `sairaph-verify=${claim.verificationToken}` },
    });
    const text = await cli("domain", "add", "--tenant", tenantId, "--domain", "other.acme.test");
    expect(text.out).toMatch(/TXT\s+_sairaph-verify\.other\.acme\.test\s+"sairaph-verify=[\w-]+"/);

    // .localhost is verified at once.
    const domain = await cli("domain", "add", "--tenant", tenantId, "--domain", "Agents.Acme.localhost", "--json");
    expect(domain.code).toBe(0);
    expect(JSON.parse(domain.out)).toMatchObject({ domain: "agents.acme.localhost", status: "verified" });

    const mailbox = await cli("mailbox", "create", "--tenant", tenantId, "--local-part", "Alice", "--domain", "agents.acme.localhost", "--client-ref", "cus_1", "--json");
    expect(mailbox.code).toBe(0);
    expect(JSON.parse(mailbox.out)).toMatchObject({ address: "alice@agents.acme.localhost" });

    const audit = await getDb().auditEvent.findMany({ where: { tenantId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["tenant.created", "domain.added", "domain.added", "domain.added", "mailbox.created"]);
    expect(audit.every((a) => a.actorType === "cli")).toBe(true);
  });

  it("fails with one clear line and exit code 1 on bad input", async () => {
    const { out } = await cli("tenant", "create", "--name", "Beta", "--json");
    const { tenantId } = JSON.parse(out);
    await cli("mailbox", "create", "--tenant", tenantId, "--local-part", "bob");

    const cases: [string[], RegExp][] = [
      [["mailbox", "create", "--tenant", "no-such-tenant", "--local-part", "x"], /Unknown tenant/],
      [["mailbox", "create", "--tenant", tenantId, "--local-part", "bob"], /already taken/],
      [["mailbox", "create", "--tenant", tenantId, "--local-part", "bad part"], /not a valid local part/],
      [["mailbox", "create", "--tenant", tenantId, "--local-part", "x", "--domain", "nope.test"], /not found/],
      [["tenant", "create", "--name", "Gamma", "--region", "us"], /serves region "eu"/],
      [["tenant", "create"], /--name is required/],
      [["domain", "add", "--tenant", tenantId, "--domain", "not a domain"], /not a valid domain/],
      [["key", "create", "--tenant", tenantId, "--mailbox", "x", "--role", "admin"], /--role must be one of/],
      [["key", "create", "--tenant", tenantId, "--management", "--expires-in", "99999999d"], /too long/],
      [["frobnicate"], /Unknown command/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(...argv);
      expect(result.code, argv.join(" ")).toBe(1);
      expect(result.err, argv.join(" ")).toMatch(message);
      expect(result.err.split("\n")[0]).toMatch(/^(Error: |Unknown command)/);
    }
  });

  it("creates and revokes keys, printing the secret once and storing only its hash", async () => {
    const { tenantId } = JSON.parse((await cli("tenant", "create", "--name", "Keys", "--json")).out);
    const { mailboxId } = JSON.parse((await cli("mailbox", "create", "--tenant", tenantId, "--local-part", "k", "--json")).out);
    const created = await cli("key", "create", "--tenant", tenantId, "--mailbox", mailboxId, "--role", "read", "--expires-in", "30d", "--requests-per-minute", "42", "--json");
    expect(created.code).toBe(0);
    const { keyId, secret } = JSON.parse(created.out);
    expect(secret).toMatch(/^sm_live_/);
    const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: keyId } });
    expect(row.requestsPerMinute).toBe(42);
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(JSON.stringify(row)).not.toContain(secret.slice(8));

    const mgmt = JSON.parse((await cli("key", "create", "--tenant", tenantId, "--management", "--json")).out);
    expect(mgmt.secret).toMatch(/^sm_mgmt_/);

    const revoked = await cli("key", "revoke", "--key", keyId, "--json");
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.out).revokedAt).toBeTruthy();
    const actions = (await getDb().auditEvent.findMany({ where: { tenantId }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["key.issued", "key.revoked"]));
  });
});

describe("operator CLI and data residency", () => {
  it("refuses every command on a tenant of a region this deployment does not serve, in one line", async () => {
    const { tenantId } = JSON.parse((await cli("tenant", "create", "--name", "Elsewhere", "--json")).out);
    const { mailboxId } = JSON.parse((await cli("mailbox", "create", "--tenant", tenantId, "--local-part", "far", "--json")).out);
    const { keyId } = JSON.parse((await cli("key", "create", "--tenant", tenantId, "--mailbox", mailboxId, "--role", "read", "--json")).out);
    // The tenant now belongs to a region this deployment does not serve (e.g. restored from another region's dump).
    await getDb().tenant.update({ where: { id: tenantId }, data: { region: "us" } });
    const before = await getDb().auditEvent.count({ where: { tenantId } });
    const cases = [
      ["domain", "add", "--tenant", tenantId, "--domain", "far.example.test"],
      ["mailbox", "create", "--tenant", tenantId, "--local-part", "farther"],
      ["key", "create", "--tenant", tenantId, "--mailbox", mailboxId, "--role", "read"],
      ["key", "create", "--tenant", tenantId, "--management"],
      ["key", "revoke", "--key", keyId],
    ];
    for (const argv of cases) {
      const result = await cli(...argv, "--json");
      expect(result.code, argv.join(" ")).toBe(1);
      expect(result.out, argv.join(" ")).toBe("");
      expect(result.err, argv.join(" ")).toMatch(/^Error: .*region "us".*serves "eu"/);
      expect(result.err.split("\n")).toHaveLength(1);
    }
    expect(await getDb().auditEvent.count({ where: { tenantId } })).toBe(before);
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: keyId } })).revokedAt).toBeNull();
  });

  it("prints an unexpected failure on one line", async () => {
    const { tenantId } = JSON.parse((await cli("tenant", "create", "--name", "Oneline", "--json")).out);
    // A display name Postgres cannot store (NUL) fails in the database, whose error message spans many lines.
    const result = await cli("mailbox", "create", "--tenant", tenantId, "--local-part", "x", "--display-name", "a\u0000b");
    expect(result.code).toBe(1);
    expect(result.err.split("\n")).toHaveLength(1);
    expect(result.err).toMatch(/^Error: /);
  });
});
