// SPEC §1 Domain: a claim is pending until its TXT record resolves; a pending claim
// neither sends nor receives; a verified claim displaces the other claims of the
// name; .localhost is verified at once. A local DNS server answers the lookups.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { addDomain } from "@/lib/domains/add-domain";
import { checkDomain, verificationRecord } from "@/lib/domains/verify-domain";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { receivingMailboxes } from "@/lib/inbound/route-recipients";
import { runHousekeeping } from "@/lib/jobs/housekeeping";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestKey, createTestTenant } from "@/test/helpers/factories";
import { startTestDnsServer, type TestDnsServer } from "@/test/helpers/dns-server";

setupTestDatabase();

const actor = { type: "system" as const, label: "test" };
let dns: TestDnsServer;

beforeAll(async () => {
  // The run's SAIRAPH_DNS_SERVERS (test/helpers/global-setup.ts) names this port.
  const [host, port] = getEnv().SAIRAPH_DNS_SERVERS!.split(":");
  expect(host).toBe("127.0.0.1");
  dns = await startTestDnsServer(Number(port));
});
afterAll(() => dns.close());

function publish(domain: { name: string; verificationToken: string }) {
  const record = verificationRecord(domain);
  dns.txt.set(record.name, ["v=spf1 -all", record.value]);
}

describe("domain claims", () => {
  it("two tenants claim one name; the one whose TXT record resolves owns it and the squatter's claim is gone", async () => {
    const squatter = await createTestTenant();
    const owner = await createTestTenant();
    const name = `acme-${Date.now()}.example`;
    const squat = await addDomain({ tenantId: squatter.id, domain: name, actor });
    const claim = await addDomain({ tenantId: owner.id, domain: name, actor });
    expect([squat.status, claim.status]).toEqual(["pending", "pending"]);
    expect(squat.verificationToken).not.toBe(claim.verificationToken);

    // A pending claim takes no addresses, so nothing can be delivered to it.
    await expect(createMailbox({ tenantId: squatter.id, localPart: "ceo", domain: name, actor })).rejects.toMatchObject({ code: "conflict" });
    expect(await receivingMailboxes([`ceo@${name}`])).toEqual([]);

    // Nothing published yet: checking changes nothing but the time of the check.
    expect(await checkDomain({ tenantId: owner.id, domainId: claim.id, actor })).toMatchObject({ status: "pending", lastCheckedAt: expect.any(Date) });

    publish(claim);
    expect((await checkDomain({ tenantId: squatter.id, domainId: squat.id, actor })).status).toBe("pending");
    expect((await checkDomain({ tenantId: owner.id, domainId: claim.id, actor })).status).toBe("verified");
    expect(await getDb().domain.findMany({ where: { name }, select: { tenantId: true, status: true } })).toEqual([{ tenantId: owner.id, status: "verified" }]);
    // The owner's event log announces it once (SPEC §12); the squatter's has nothing.
    expect(await getDb().event.findMany({ where: { tenantId: owner.id, type: "domain.verified" }, select: { type: true } })).toEqual([{ type: "domain.verified" }]);
    expect(await getDb().event.count({ where: { tenantId: squatter.id, type: "domain.verified" } })).toBe(0);
    const displaced = await getDb().auditEvent.findFirst({ where: { tenantId: squatter.id, action: "domain.displaced" } });
    expect(displaced).not.toBeNull();

    const ceo = await createMailbox({ tenantId: owner.id, localPart: "ceo", domain: name, actor });
    expect((await receivingMailboxes([`ceo@${name}`])).map((m) => m.id)).toEqual([ceo.id]);
  });

  it("whoever publishes the record later takes the name over: the old claim's mailboxes can neither send nor receive", async () => {
    const first = await createTestTenant();
    const second = await createTestTenant();
    const name = `moved-${Date.now()}.example`;
    const a = await addDomain({ tenantId: first.id, domain: name, actor });
    publish(a);
    await checkDomain({ tenantId: first.id, domainId: a.id, actor });
    const box = await createMailbox({ tenantId: first.id, localPart: "sales", domain: name, actor });
    const { secret: key } = await createTestKey(first.id, { mailboxId: box.id, role: "read_write" });

    const b = await addDomain({ tenantId: second.id, domain: name, actor });
    publish(b);
    expect((await checkDomain({ tenantId: second.id, domainId: b.id, actor })).status).toBe("verified");
    expect((await getDb().domain.findUniqueOrThrow({ where: { id: a.id } })).status).toBe("failed");

    const res = await call(messages.POST, "POST", `/api/v1/mailboxes/${box.id}/messages`, {
      key,
      params: { mailboxId: box.id },
      body: { to: "ann@example.com", subject: "Hi", text: "Hello" },
    });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain(`The domain ${name} is not verified`);
    expect(res.json.error.message).toContain(`_sairaph-verify.${name}`);
    expect(await getDb().message.count({ where: { mailboxId: box.id } })).toBe(0);
    expect(await receivingMailboxes([`sales@${name}`])).toEqual([]);
  });

  it("housekeeping re-checks pending claims in the background", async () => {
    const tenant = await createTestTenant();
    const claim = await addDomain({ tenantId: tenant.id, domain: `later-${Date.now()}.example`, actor });
    await runHousekeeping();
    expect((await getDb().domain.findUniqueOrThrow({ where: { id: claim.id } })).status).toBe("pending");
    publish(claim);
    await getDb().domain.update({ where: { id: claim.id }, data: { lastCheckedAt: new Date(Date.now() - 60 * 60_000) } });
    await runHousekeeping();
    expect((await getDb().domain.findUniqueOrThrow({ where: { id: claim.id } })).status).toBe("verified");
  });

  it("a .localhost domain is verified at once; a tenant cannot claim a name it already owns twice", async () => {
    const tenant = await createTestTenant();
    const dev = await addDomain({ tenantId: tenant.id, domain: `agents-${Date.now()}.localhost`, actor });
    expect(dev.status).toBe("verified");
    await expect(createMailbox({ tenantId: tenant.id, localPart: "bot", domain: dev.name, actor })).resolves.toMatchObject({ address: `bot@${dev.name}` });
    await expect(addDomain({ tenantId: tenant.id, domain: dev.name, actor })).rejects.toMatchObject({ code: "conflict" });
  });
});
