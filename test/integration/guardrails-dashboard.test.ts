// The guardrail server actions behind the dashboard: only an owner flips the kill
// switch; owners and admins edit a mailbox's lists, viewers and other tenants cannot.
import { describe, expect, it, vi } from "vitest";
import { addListEntryAction, removeListEntryAction, setTenantSendingAction } from "@/app/(dashboard)/guardrails/actions";
import { getDb } from "@/lib/db";
import { getTenantSending } from "@/lib/guardrails/sending-switch";
import { uuidv7 } from "@/lib/ids";
import type { MemberRole } from "@/lib/generated/prisma/enums";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestMailbox, createTestTenant } from "@/test/helpers/factories";
import { signInAs } from "@/test/helpers/session";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

async function addUser(tenantId: string, role: MemberRole) {
  const user = await getDb().user.create({ data: { id: uuidv7(), emailVerified: new Date(), email: `${role}-${uuidv7()}@example.test` } });
  await getDb().membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role } });
  return user;
}

describe("guardrails in the dashboard", () => {
  it("only an owner pauses and resumes sending, audited as that user", async () => {
    const tenant = await createTestTenant("Switch");
    const owner = await addUser(tenant.id, "owner");
    const admin = await addUser(tenant.id, "admin");
    signInAs(admin.id, tenant.id);
    const refused = await setTenantSendingAction({ sending: "paused" });
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await getTenantSending(tenant.id)).sending).toBe("active");

    signInAs(owner.id, tenant.id);
    expect(await setTenantSendingAction({ sending: "paused" })).toEqual({ ok: true, data: { sending: "paused" } });
    expect((await getTenantSending(tenant.id)).sending).toBe("paused");
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { tenantId: tenant.id, action: "tenant.sending_paused" } });
    expect(audit).toMatchObject({ actorType: "user", actorId: owner.id });
    expect(await setTenantSendingAction({ sending: "active" })).toEqual({ ok: true, data: { sending: "active" } });
  });

  it("admins edit a mailbox's lists; viewers and other tenants cannot", async () => {
    const tenant = await createTestTenant("Lists");
    const other = await createTestTenant("Other");
    const mailbox = await createTestMailbox(tenant.id);
    const admin = await addUser(tenant.id, "admin");
    const viewer = await addUser(tenant.id, "viewer");
    const stranger = await addUser(other.id, "owner");
    const entry = { mailboxId: mailbox.id, direction: "send" as const, kind: "block" as const, entry: "@Evil.test" };

    signInAs(viewer.id, tenant.id);
    expect(await addListEntryAction(entry)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    signInAs(stranger.id, other.id);
    expect(await addListEntryAction(entry)).toMatchObject({ ok: false, error: { code: "not_found" } });
    signInAs(admin.id, tenant.id);
    expect(await addListEntryAction({ ...entry, entry: "not an address" })).toMatchObject({ ok: false, error: { code: "validation_error" } });
    expect(await addListEntryAction(entry)).toMatchObject({ ok: true, data: { entry: "@evil.test" } });
    expect(await getDb().listEntry.count({ where: { mailboxId: mailbox.id } })).toBe(1);
    expect(await removeListEntryAction({ ...entry, entry: "@evil.test" })).toMatchObject({ ok: true });
    expect(await getDb().listEntry.count({ where: { mailboxId: mailbox.id } })).toBe(0);
  });
});
