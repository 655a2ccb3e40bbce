import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb, getPool } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { lookupKey } from "@/lib/keys/authenticate-key";
import { runHousekeeping } from "@/lib/jobs/housekeeping";
import { uuidv7 } from "@/lib/ids";
import { hashPassword } from "@/lib/auth/password";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { clientIp, FREE_FAILURES_PER_ADDRESS, MAX_ADDRESS_DELAY_MS, MAX_FAILURES_PER_IP } from "@/lib/auth/sign-in-throttle";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestTenant, createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();
// Every wrong password costs a full scrypt at N = 2^17 (128 MiB): give these tests room on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const PASSWORD = "a long enough password";

async function createUser(tenantId?: string) {
  const email = `user-${uuidv7()}@example.test`;
  const user = await getDb().user.create({ data: { id: uuidv7(), email, passwordHash: await hashPassword(PASSWORD) } });
  if (tenantId) await getDb().membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role: "owner" } });
  return user;
}

// Never the proxy test's client IP (192.0.2.123): a shared counter would throttle it early.
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

describe("password hashes", () => {
  it("are scrypt with N = 2^17; an older hash is upgraded at the next successful sign-in and still works", async () => {
    expect((await hashPassword(PASSWORD)).startsWith("scrypt$131072$8$1$")).toBe(true);
    const email = `old-${uuidv7()}@example.test`;
    const old = await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 });
    await getDb().user.create({ data: { id: uuidv7(), email, passwordHash: old } });
    expect((await authenticateWithPassword({ email, password: "wrong password!", ip: null })).outcome).toBe("invalid");
    expect((await getDb().user.findUniqueOrThrow({ where: { email } })).passwordHash).toBe(old);
    expect((await authenticateWithPassword({ email, password: PASSWORD, ip: null })).outcome).toBe("ok");
    const upgraded = (await getDb().user.findUniqueOrThrow({ where: { email } })).passwordHash!;
    expect(upgraded.startsWith("scrypt$131072$8$1$")).toBe(true);
    expect((await authenticateWithPassword({ email, password: PASSWORD, ip: null })).outcome).toBe("ok");
  });
});

describe("the sign-in throttle", () => {
  it(`slows an address down after ${FREE_FAILURES_PER_ADDRESS} failures with a growing delay, from any IP, but never locks its owner out`, async () => {
    const user = await createUser();
    let now = Date.now();
    for (let i = 0; i < FREE_FAILURES_PER_ADDRESS; i++) {
      expect((await authenticateWithPassword({ email: user.email, password: `wrong ${i}`, ip: randomIp(), now })).outcome).toBe("invalid");
    }
    // Right away, even the right password waits.
    expect(await authenticateWithPassword({ email: user.email, password: PASSWORD, ip: randomIp(), now })).toEqual({ outcome: "throttled", retryAfterSeconds: 1 });
    // A stranger keeps guessing whenever allowed: the wait doubles up to its cap, never beyond.
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const refused = await authenticateWithPassword({ email: user.email, password: "guess", ip: randomIp(), now });
      expect(refused.outcome).toBe("throttled");
      const wait = refused.outcome === "throttled" ? refused.retryAfterSeconds : 0;
      waits.push(wait);
      now += wait * 1000;
      expect((await authenticateWithPassword({ email: user.email, password: "guess", ip: randomIp(), now })).outcome).toBe("invalid");
    }
    expect(waits.slice(0, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(Math.max(...waits)).toBe(MAX_ADDRESS_DELAY_MS / 1000);
    // The owner, once the current wait has passed, gets in; that success forgets the failures.
    now += MAX_ADDRESS_DELAY_MS;
    expect((await authenticateWithPassword({ email: user.email, password: PASSWORD, ip: randomIp(), now })).outcome).toBe("ok");
    expect((await authenticateWithPassword({ email: user.email, password: "wrong", ip: randomIp(), now })).outcome).toBe("invalid");
    // Another address is not affected.
    const other = await createUser();
    expect((await authenticateWithPassword({ email: other.email, password: PASSWORD, ip: randomIp() })).outcome).toBe("ok");
  });

  it("does not count successful sign-ins", async () => {
    const user = await createUser();
    for (let i = 0; i < FREE_FAILURES_PER_ADDRESS * 2; i++) {
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

describe("the client IP behind proxies (SAIRAPH_TRUSTED_PROXY_HOPS)", () => {
  afterEach(() => {
    delete process.env.SAIRAPH_TRUSTED_PROXY_HOPS;
    resetEnvCache();
  });

  it("behind one trusted proxy, 25 failures with a new client-written X-Forwarded-For each time are still throttled", async () => {
    process.env.SAIRAPH_TRUSTED_PROXY_HOPS = "1";
    resetEnvCache();
    const outcomes: string[] = [];
    for (let i = 0; i < 25; i++) {
      // The client writes any value; the proxy appends the address it saw.
      const headers = new Headers({ "x-forwarded-for": `10.${i}.0.1, 203.0.113.${(i * 7) % 250}, 192.0.2.123` });
      const ip = clientIp(headers);
      expect(ip).toBe("192.0.2.123");
      outcomes.push((await authenticateWithPassword({ email: `spray-${i}@example.test`, password: "guess", ip })).outcome);
    }
    // The whole sequence, so a failure shows which attempt went the other way.
    expect(outcomes).toEqual([...Array(MAX_FAILURES_PER_IP).fill("invalid"), ...Array(25 - MAX_FAILURES_PER_IP).fill("throttled")]);
  });

  it("with no trusted proxy (the default) X-Forwarded-For is ignored, so it can neither dodge nor blame", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "198.51.100.23" }))).toBeNull();
    expect(clientIp(new Headers({ "x-forwarded-for": "1.1.1.1, 2.2.2.2, 3.3.3.3" }), 2)).toBe("2.2.2.2");
    expect(clientIp(new Headers({ "x-forwarded-for": "3.3.3.3" }), 2)).toBeNull();
  });
});

describe("counters on a host west of UTC", () => {
  it("the process runs at UTC-09:30 and a sign-in counter and a key counter survive housekeeping", async () => {
    expect(new Date(Date.UTC(2026, 0, 1, 12)).getHours()).toBe(2); // 12:00 UTC is 02:30 here
    const world = await createTestWorld();
    const user = await createUser();
    // One clock for the attempts, so the 1 s wait after the fifth failure has not passed at the last one however slow scrypt is.
    const now = Date.now();
    for (let i = 0; i < FREE_FAILURES_PER_ADDRESS; i++) await authenticateWithPassword({ email: user.email, password: "wrong", ip: "192.0.2.150", now });
    await lookupKey(world.keys.read);
    await runHousekeeping();
    const { rows } = await getPool().query<{ scope: string; expires: Date }>(
      `SELECT scope, "expiresAt" AT TIME ZONE 'UTC' AS expires FROM "RateLimitCounter" WHERE scope LIKE 'signin:%' OR scope LIKE 'key:%'`,
    );
    expect(rows.map((r) => r.scope).sort()).toEqual(expect.arrayContaining(["signin:ip:192.0.2.150", `key:${(await lookupKey(world.keys.read)).id}`]));
    for (const r of rows) expect(r.expires.getTime()).toBeGreaterThan(Date.now());
    // Still counted after housekeeping: the address waits.
    expect((await authenticateWithPassword({ email: user.email, password: PASSWORD, ip: "192.0.2.151", now })).outcome).toBe("throttled");
  });
});
