// The dashboard's webhook actions (SPEC §12): owners and admins manage endpoints of
// their active tenant only; a viewer changes nothing; a secret is returned once.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { overridePrivateTargets } from "@/lib/webhooks/target-policy";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestTenant } from "@/test/helpers/factories";
import { signInAs } from "@/test/helpers/session";
import {
  createWebhookAction,
  deleteWebhookAction,
  resendDeliveryAction,
  rotateWebhookSecretAction,
  sendTestEventAction,
  setWebhookEnabledAction,
} from "@/app/(dashboard)/webhooks/actions";
import type { MemberRole } from "@/lib/generated/prisma/enums";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

async function addUser(tenantId: string, role: MemberRole) {
  const db = getDb();
  const user = await db.user.create({ data: { id: uuidv7(), emailVerified: new Date(), email: `${role}-${uuidv7()}@example.test` } });
  await db.membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role } });
  return user;
}

let a: Awaited<ReturnType<typeof createTestTenant>>;
let b: Awaited<ReturnType<typeof createTestTenant>>;

beforeAll(async () => {
  overridePrivateTargets(true);
  a = await createTestTenant("Tenant A");
  b = await createTestTenant("Tenant B");
});

describe("dashboard webhooks", () => {
  it("an admin creates, tests, rotates, disables and deletes an endpoint; a viewer and another tenant cannot", async () => {
    const admin = await addUser(a.id, "admin");
    const viewer = await addUser(a.id, "viewer");
    const stranger = await addUser(b.id, "owner");

    signInAs(viewer.id, a.id);
    const refused = await createWebhookAction({ url: "http://127.0.0.1:3446/x" });
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });

    signInAs(admin.id, a.id);
    const created = await createWebhookAction({ url: "http://127.0.0.1:3446/x", eventTypes: ["message.received"] });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.data.secret).toMatch(/^whsec_/);
    const endpointId = created.data.id;

    const test = await sendTestEventAction({ endpointId });
    if (!test.ok) throw new Error(test.error.message);
    const resent = await resendDeliveryAction({ endpointId, deliveryId: test.data.id });
    expect(resent.ok).toBe(true);
    const rotated = await rotateWebhookSecretAction({ endpointId });
    if (!rotated.ok) throw new Error(rotated.error.message);
    expect(rotated.data.secret).not.toBe(created.data.secret);

    signInAs(stranger.id, b.id);
    expect(await setWebhookEnabledAction({ endpointId, enabled: false })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await deleteWebhookAction({ endpointId })).toMatchObject({ ok: false, error: { code: "not_found" } });

    signInAs(admin.id, a.id);
    expect(await setWebhookEnabledAction({ endpointId, enabled: false })).toEqual({ ok: true, data: { id: endpointId, enabled: false } });
    expect(await deleteWebhookAction({ endpointId })).toEqual({ ok: true, data: { id: endpointId, deleted: true } });
    expect(await getDb().webhookEndpoint.count({ where: { tenantId: a.id } })).toBe(0);
    expect(await getDb().webhookDelivery.count({ where: { tenantId: a.id } })).toBe(0);
  });

  it("refuses an invalid URL with a message the form can show", async () => {
    const admin = await addUser(a.id, "owner");
    signInAs(admin.id, a.id);
    const result = await createWebhookAction({ url: "not a url" });
    expect(result).toMatchObject({ ok: false, error: { code: "validation_error" } });
  });
});
