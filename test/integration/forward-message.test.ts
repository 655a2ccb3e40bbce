// POST …/messages/{messageId}/forward over REST: the original quoted with its
// attachments, subject "Fwd: …", the same thread, Idempotency-Key, scope and role.
import { describe, expect, it } from "vitest";
import * as forwardRoute from "@/app/api/v1/mailboxes/[mailboxId]/messages/[messageId]/forward/route";
import { getDb } from "@/lib/db";
import { getMessageDto } from "@/lib/messages/get-message";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { forwardSubject } from "@/lib/outbound/forward-message";
import { call } from "@/test/helpers/api";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestWorld } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

async function inbound(world: Awaited<ReturnType<typeof createTestWorld>>) {
  const { message } = await storeInboundMessage({
    tenantId: world.tenant.id,
    mailboxId: world.mailbox.id,
    content: testContent({
      subject: "Contract draft",
      text: "Please review the attached contract.",
      html: "<p>Please review the <b>attached</b> contract.</p>",
      attachments: [
        { filename: "contract.pdf", contentType: "application/pdf", content: Buffer.from("%PDF-1.7 contract") },
        { filename: "sig.png", contentType: "image/png", content: Buffer.from("png-bytes"), contentId: "sig1", inline: true },
      ],
    }),
  });
  return message;
}

describe("POST /api/v1/mailboxes/{mailboxId}/messages/{messageId}/forward", () => {
  it("queues a forward that quotes the original, carries its attachments and stays in its thread", async () => {
    const world = await createTestWorld();
    const original = await inbound(world);
    const params = { mailboxId: world.mailbox.id, messageId: original.id };
    const res = await call(forwardRoute.POST, "POST", "/x", { key: world.keys.read_write, params, body: { to: "legal@example.com", text: "Can you check this?" } });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      direction: "outbound",
      status: "queued",
      subject: "Fwd: Contract draft",
      threadId: original.threadId,
      to: [{ address: "legal@example.com" }],
      inReplyTo: null,
    });
    expect(res.json.text).toBe(
      `Can you check this?\n\n---------- Forwarded message ---------\nFrom: \"Sally Sender\" <sender@example.org>\nDate: ${original.createdAt.toUTCString()}\nSubject: Contract draft\nTo: agent@example.test\n\nPlease review the attached contract.`,
    );
    expect(res.json.html).toContain("<p>Please review the <b>attached</b> contract.</p>");
    expect(res.json.attachments).toMatchObject([
      { filename: "contract.pdf", contentType: "application/pdf", size: 17, inline: false },
      { filename: "sig.png", contentType: "image/png", contentId: "sig1", inline: true },
    ]);
    const stored = await getMessageDto({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, id: res.json.id });
    expect(stored.references).toEqual([(await getMessageDto({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, id: original.id })).messageId]);
    expect((await getDb().message.findUniqueOrThrow({ where: { id: res.json.id } })).via).toBeNull();
    expect((await getDb().thread.findUniqueOrThrow({ where: { id: original.threadId } })).messageCount).toBe(2);
  });

  it("honours Idempotency-Key, checks role, scope and input", async () => {
    const world = await createTestWorld();
    const other = await createTestWorld();
    const original = await inbound(world);
    const params = { mailboxId: world.mailbox.id, messageId: original.id };
    const body = { to: ["a@example.com"], cc: "b@example.com" };
    const headers = { "idempotency-key": "fwd-1" };
    const first = await call(forwardRoute.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages/${original.id}/forward`, { key: world.keys.read_write, params, body, headers });
    const again = await call(forwardRoute.POST, "POST", `/api/v1/mailboxes/${world.mailbox.id}/messages/${original.id}/forward`, { key: world.keys.read_write, params, body, headers });
    expect(again.status).toBe(202);
    expect(again.json.id).toBe(first.json.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await getDb().message.count({ where: { mailboxId: world.mailbox.id, direction: "outbound" } })).toBe(1);

    expect((await call(forwardRoute.POST, "POST", "/x", { key: world.keys.read, params, body })).json.error.code).toBe("forbidden");
    const foreign = await call(forwardRoute.POST, "POST", "/x", { key: other.keys.read_write, params: { mailboxId: other.mailbox.id, messageId: original.id }, body });
    expect(foreign.status).toBe(404);
    const noRecipient = await call(forwardRoute.POST, "POST", "/x", { key: world.keys.read_write, params, body: { to: [] } });
    expect(noRecipient.status).toBe(400);
    const injected = await call(forwardRoute.POST, "POST", "/x", { key: world.keys.read_write, params, body: { to: "a@example.com\r\nBcc: x@example.com" } });
    expect(injected.status).toBe(400);
    expect((await call(forwardRoute.GET, "GET", "/x", { key: world.keys.read_write, params })).status).toBe(405);
  });

  it("prefixes the subject once and never lets a line break through", () => {
    expect(forwardSubject("Hello")).toBe("Fwd: Hello");
    expect(forwardSubject("Fwd: Hello")).toBe("Fwd: Hello");
    expect(forwardSubject("FW: Hello")).toBe("FW: Hello");
    expect(forwardSubject("a\r\nBcc: x@example.com")).toBe("Fwd: a Bcc: x@example.com");
  });
});
