// The Approvals page's server actions: owners and admins approve (as written, or
// after editing recipients, subject and body, validated like a send) or reject;
// viewers and other tenants cannot. The list shows waiting sends across mailboxes.
import { describe, expect, it, vi } from "vitest";
import { approveMessageAction, rejectMessageAction } from "@/app/(dashboard)/approvals/actions";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import type { MemberRole } from "@/lib/generated/prisma/enums";
import { updateMailbox } from "@/lib/mailboxes/update-mailbox";
import { getAttachment } from "@/lib/messages/get-attachment";
import { getMessageDto } from "@/lib/messages/get-message";
import { dailyMessageCounts } from "@/lib/messages/daily-message-counts";
import { getOverview } from "@/lib/tenants/get-overview";
import { listPendingApprovals } from "@/lib/outbound/list-pending-approvals";
import { sendMessage } from "@/lib/outbound/send-message";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestMailbox, createTestTenant, TEST_ACTOR } from "@/test/helpers/factories";
import { signInAs } from "@/test/helpers/session";
import { AttachmentBytes } from "@/lib/outbound/attachment-bytes";

vi.mock("@/lib/auth/auth", async () => (await import("@/test/helpers/session")).fakeAuthModule());
vi.mock("next/headers", async () => (await import("@/test/helpers/session")).fakeHeadersModule());

setupTestDatabase();

async function addUser(tenantId: string, role: MemberRole) {
  const user = await getDb().user.create({ data: { id: uuidv7(), emailVerified: new Date(), email: `${role}-${uuidv7()}@example.test` } });
  await getDb().membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role } });
  return user;
}

async function heldSend(tenantId: string, mailbox: Awaited<ReturnType<typeof createTestMailbox>>, subject: string) {
  await updateMailbox({ tenantId, mailboxId: mailbox.id, changes: { sendPolicy: "approval" }, actor: TEST_ACTOR, mayChangeStatus: false });
  const res = await sendMessage({
    tenantId,
    mailbox: { id: mailbox.id, tenantId, address: mailbox.address, displayName: null, status: "active" },
    body: { to: ["ann@example.com"], subject, text: "Original text", html: "<p>Original</p>" },
    idempotency: null,
  });
  return (res.body as { id: string }).id;
}

describe("approvals in the dashboard", () => {
  it("lists waiting sends across mailboxes; viewers and other tenants cannot act; an admin edits then approves", async () => {
    const tenant = await createTestTenant("Approvals");
    const other = await createTestTenant("Other");
    const first = await createTestMailbox(tenant.id);
    const second = await createTestMailbox(tenant.id);
    const a = await heldSend(tenant.id, first, "First held");
    const b = await heldSend(tenant.id, second, "Second held");

    const { items } = await listPendingApprovals({ tenantId: tenant.id });
    expect(items.map((i) => [i.subject, i.mailboxAddress, i.recipients])).toEqual([
      ["First held", first.address, ["ann@example.com"]],
      ["Second held", second.address, ["ann@example.com"]],
    ]);
    expect((await listPendingApprovals({ tenantId: other.id })).items).toEqual([]);
    // The overview's chart does not count waiting sends as sent.
    const sentToday = async () => (await dailyMessageCounts({ tenantId: tenant.id, days: 1 })).reduce((n, d) => n + d.sent, 0);
    expect(await sentToday()).toBe(0);
    expect((await getOverview({ tenantId: tenant.id })).attention.pendingApprovals).toBe(2);

    const viewer = await addUser(tenant.id, "viewer");
    const stranger = await addUser(other.id, "owner");
    const admin = await addUser(tenant.id, "admin");
    signInAs(viewer.id, tenant.id);
    expect(await approveMessageAction({ mailboxId: first.id, messageId: a })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await rejectMessageAction({ mailboxId: first.id, messageId: a })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    signInAs(stranger.id, other.id);
    expect(await approveMessageAction({ mailboxId: first.id, messageId: a })).toMatchObject({ ok: false, error: { code: "not_found" } });

    signInAs(admin.id, tenant.id);
    // Edits are validated like a send: a bad address or a CR in the subject changes nothing.
    const bad = await approveMessageAction({ mailboxId: first.id, messageId: a, edits: { to: ["not an address"], subject: "x", text: "y" } });
    expect(bad).toMatchObject({ ok: false, error: { code: "validation_error" } });
    const crlf = await approveMessageAction({ mailboxId: first.id, messageId: a, edits: { to: ["bo@example.com"], subject: "x\r\nBcc: evil@example.net", text: "y" } });
    expect(crlf).toMatchObject({ ok: false, error: { code: "validation_error" } });
    expect((await getMessageDto({ tenantId: tenant.id, mailboxId: first.id, id: a })).status).toBe("pending_approval");

    const edited = await approveMessageAction({
      mailboxId: first.id,
      messageId: a,
      edits: { to: ["Bo <bo@example.com>"], cc: ["cy@example.com"], subject: "First, edited", text: "Edited text" },
    });
    expect(edited).toEqual({ ok: true, data: { id: a, status: "queued" } });
    const after = await getMessageDto({ tenantId: tenant.id, mailboxId: first.id, id: a });
    expect(after).toMatchObject({ subject: "First, edited", text: "Edited text", html: null, status: "queued" });
    expect(after.to).toEqual([{ address: "bo@example.com", name: "Bo" }]);
    expect(after.cc).toEqual([{ address: "cy@example.com", name: null }]);
    expect(await getDb().job.count({ where: { messageId: a } })).toBe(1);
    expect(await sentToday()).toBe(1);

    expect(await rejectMessageAction({ mailboxId: second.id, messageId: b, reason: "Not today" })).toEqual({ ok: true, data: { id: b, status: "rejected" } });
    expect(await approveMessageAction({ mailboxId: second.id, messageId: b })).toMatchObject({ ok: false, error: { code: "not_pending_approval" } });
    expect((await listPendingApprovals({ tenantId: tenant.id })).items).toEqual([]);

    const audit = await getDb().auditEvent.findMany({ where: { tenantId: tenant.id, action: { in: ["message.approved", "message.rejected"] } }, orderBy: { createdAt: "asc" } });
    expect(audit.map((e) => [e.action, e.actorId, (e.metadata as { edited?: boolean }).edited ?? null])).toEqual([
      ["message.approved", admin.id, true],
      ["message.rejected", admin.id, null],
    ]);
  });

  it("edit-then-approve keeps the attachments, byte for byte, and the message queued is the edited one", async () => {
    const tenant = await createTestTenant("Attachments");
    const mailbox = await createTestMailbox(tenant.id);
    const admin = await addUser(tenant.id, "owner");
    await updateMailbox({ tenantId: tenant.id, mailboxId: mailbox.id, changes: { sendPolicy: "approval" }, actor: TEST_ACTOR, mayChangeStatus: false });
    const bytes = Buffer.from("q,total\n1,42\n");
    const res = await sendMessage({
      tenantId: tenant.id,
      mailbox: { id: mailbox.id, tenantId: tenant.id, address: mailbox.address, displayName: null, status: "active" },
      body: { to: ["ann@example.com"], subject: "With a file", text: "See attached", attachments: [{ filename: "numbers.csv", contentType: "text/csv", content: new AttachmentBytes(bytes, bytes.toString("base64").length) }] },
      idempotency: null,
    });
    const id = (res.body as { id: string; status: string }).id;
    expect((res.body as { status: string }).status).toBe("pending_approval");

    signInAs(admin.id, tenant.id);
    const approved = await approveMessageAction({ mailboxId: mailbox.id, messageId: id, edits: { to: ["ann@example.com"], subject: "With a file (checked)", text: "See the attached numbers" } });
    expect(approved).toEqual({ ok: true, data: { id, status: "queued" } });
    const after = await getMessageDto({ tenantId: tenant.id, mailboxId: mailbox.id, id });
    expect(after.subject).toBe("With a file (checked)");
    expect(after.attachments).toHaveLength(1);
    expect(after.attachments[0]).toMatchObject({ filename: "numbers.csv", contentType: "text/csv", size: bytes.length });
    const file = await getAttachment({ tenantId: tenant.id, mailboxId: mailbox.id, messageId: id, id: after.attachments[0].id });
    expect(Buffer.from(file.data).equals(bytes)).toBe(true);
    expect(await getDb().attachment.count({ where: { messageId: id } })).toBe(1);
  });
});
