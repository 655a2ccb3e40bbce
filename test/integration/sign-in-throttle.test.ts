import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { hashPassword } from "@/lib/auth/password";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_IP } from "@/lib/auth/sign-in-throttle";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestTenant } from "@/test/helpers/factories";

setupTestDatabase();

const PASSWORD = "a long enough password";

async function createUser(tenantId?: string) {
  const email = `user-${uuidv7()}@example.test`;
  const user = await getDb().user.create({ data: { id: uuidv7(), email, passwordHash: await hashPassword(PASSWORD) } });
  if (tenantId) await getDb().membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role: "owner" } });
  return user;
}

function randomIp(): string {
  return `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
}

describe("password sign-in", () => {
  it("accepts the right password, whatever the case of the address, and audits member.signed_in", async () => {
    const tenant = await createTestTenant();
    const user = await createUser(tenant.id);
    const result = await authenticateWithPassword({ email: user.email.toUpperCase(), password: PASSWORD, ip: "192.0.2.10" });
    expect(result).toMatchObject({ outcome: "ok", user: { id: user.id } });
    const event = await getDb().auditEvent.findFirst({ where: { tenantId: tenant.id, action: "member.signed_in" } });
    expect(event).toMatchObject({ actorId: user.id, ip: "192.0.2.10" });
  });

  it("refuses a wrong password and an unknown address alike", async () => {
    const user = await createUser();
    expect(await authenticateWithPassword({ email: user.email, password: "wrong password!", ip: randomIp() })).toEqual({ outcome: "invalid" });
    expect(await authenticateWithPassword({ email: "nobody@example.test", password: PASSWORD, ip: randomIp() })).toEqual({ outcome: "invalid" });
  });
});

describe("the sign-in throttle", () => {
  it(`locks an address after ${MAX_FAILURES_PER_ADDRESS} failures, even for the right password, from any IP`, async () => {
    const user = await createUser();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      expect((await authenticateWithPassword({ email: user.email, password: `wrong ${i}`, ip: randomIp() })).outcome).toBe("invalid");
    }
    const locked = await authenticateWithPassword({ email: user.email, password: PASSWORD, ip: randomIp() });
    expect(locked.outcome).toBe("throttled");
    if (locked.outcome === "throttled") {
      expect(locked.retryAfterSeconds).toBeGreaterThan(0);
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    }
    // Another address is not affected.
    const other = await createUser();
    expect((await authenticateWithPassword({ email: other.email, password: PASSWORD, ip: randomIp() })).outcome).toBe("ok");
  });

  it("does not count successful sign-ins", async () => {
    const user = await createUser();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS * 2; i++) {
      expect((await authenticateWithPassword({ email: user.email, password: PASSWORD, ip: "192.0.2.77" })).outcome).toBe("ok");
    }
  });

  it(`locks an IP after ${MAX_FAILURES_PER_IP} failures across addresses`, async () => {
    const ip = "192.0.2.200";
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      expect((await authenticateWithPassword({ email: `guess-${i}@example.test`, password: "guess", ip })).outcome).toBe("invalid");
    }
    const user = await createUser();
    expect((await authenticateWithPassword({ email: user.email, password: PASSWORD, ip })).outcome).toBe("throttled");
    expect((await authenticateWithPassword({ email: user.email, password: PASSWORD, ip: "192.0.2.201" })).outcome).toBe("ok");
  });

  it("keeps its state in the database, with no email address in it", async () => {
    const user = await createUser();
    await authenticateWithPassword({ email: user.email, password: "wrong", ip: "192.0.2.99" });
    const counters = await getDb().rateLimitCounter.findMany({ where: { scope: { startsWith: "signin:" } } });
    expect(counters.length).toBeGreaterThan(0);
    expect(JSON.stringify(counters)).not.toContain(user.email);
    expect(counters.some((c) => c.scope === "signin:ip:192.0.2.99" && c.count === 1)).toBe(true);
  });
});
