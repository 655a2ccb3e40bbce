// The dashboard's attachment download: any member of the mailbox's tenant, nobody else.
import { describe, expect, it, vi } from "vitest";
import * as download from "@/app/api/dashboard/mailboxes/[mailboxId]/messages/[messageId]/attachments/[attachmentId]/route";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestMailbox, createTestTenant } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";
import { signInAs } from "@/test/helpers/session";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

async function member(tenantId: string, role: "owner" | "viewer") {
  const user = await getDb().user.create({ data: { id: uuidv7(), emailVerified: new Date(), email: `${role}-${uuidv7()}@example.test` } });
  await getDb().membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role } });
  return user;
}

describe("GET /api/dashboard/mailboxes/{id}/messages/{id}/attachments/{id}", () => {
  it("serves the bytes to a member of the tenant and is not found for anyone else", async () => {
    const tenant = await createTestTenant();
    const other = await createTestTenant();
    const mailbox = await createTestMailbox(tenant.id);
    const { message } = await storeInboundMessage({
      tenantId: tenant.id,
      mailboxId: mailbox.id,
      content: testContent({ attachments: [{ filename: "résumé.pdf", contentType: "application/pdf", content: Buffer.from("%PDF-1.4 hello") }] }),
    });
    const attachment = await getDb().attachment.findFirstOrThrow({ where: { messageId: message.id } });
    const params = { mailboxId: mailbox.id, messageId: message.id, attachmentId: attachment.id };

    signInAs((await member(tenant.id, "viewer")).id, tenant.id);
    const ok = await call(download.GET, "GET", "/x", { params });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe("%PDF-1.4 hello");
    expect(ok.headers.get("content-type")).toBe("application/pdf");
    expect(ok.headers.get("content-disposition")).toContain("filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");

    // A member of another tenant, even naming this tenant as the active one, finds nothing.
    signInAs((await member(other.id, "owner")).id, tenant.id);
    const foreign = await call(download.GET, "GET", "/x", { params });
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe("not_found");

    signInAs(null);
    const signedOut = await call(download.GET, "GET", "/x", { params });
    expect(signedOut.status).toBe(401);
  });
});
