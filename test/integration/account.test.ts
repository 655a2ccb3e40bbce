import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestTenant } from "@/test/helpers/factories";
import { signInAs } from "@/test/helpers/session";
import { addMember } from "@/lib/members/add-member";
import { changePasswordAction } from "@/app/(dashboard)/account/actions";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

describe("changing one's password", () => {
  it("replaces a temporary password, only with the current one", async () => {
    const tenant = await createTestTenant();
    const email = "temp-user@example.test";
    const { membership, temporaryPassword } = await addMember({
      tenantId: tenant.id,
      email,
      role: "viewer",
      actor: { type: "system", label: "test" },
      actorRole: "owner",
    });
    signInAs(membership.userId, tenant.id);

    expect(await changePasswordAction({ currentPassword: "not it at all", newPassword: "a brand new password" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await changePasswordAction({ currentPassword: temporaryPassword!, newPassword: "short" })).toMatchObject({
      ok: false,
      error: { code: "validation_error" },
    });
    expect(await changePasswordAction({ currentPassword: temporaryPassword!, newPassword: "a brand new password" })).toEqual({
      ok: true,
      data: { changed: true },
    });

    expect((await authenticateWithPassword({ email, password: temporaryPassword!, ip: "192.0.2.1" })).outcome).toBe("invalid");
    expect((await authenticateWithPassword({ email, password: "a brand new password", ip: "192.0.2.1" })).outcome).toBe("ok");
    const event = await getDb().auditEvent.findFirst({ where: { tenantId: tenant.id, action: "member.password_changed" } });
    expect(event?.actorId).toBe(membership.userId);
  });
});
