import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseRawEmail } from "@/lib/inbound/parse-email";
import { getAttachment } from "@/lib/messages/get-attachment";
import { getDb } from "@/lib/db";
import { getMailboxCipher } from "@/lib/mailboxes/data-keys";
import { getMessageDto, prepareOutbound, storeInboundMessage, storeOutboundMessage } from "@/lib/messages/store-message";
import { setupTestDatabase } from "@/test/helpers/db";
import { createTestMailbox, createTestWorld } from "@/test/helpers/factories";
import { testContent } from "@/test/helpers/messages";

setupTestDatabase();

describe("message store", () => {
  it("stores inbound mail once per Message-ID and returns it decrypted", async () => {
    const world = await createTestWorld();
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const content = testContent({
      html: "<p>Hello</p>",
      attachments: [{ filename: "invoice.pdf", contentType: "application/pdf", content: Buffer.from("%PDF-1.4 fake") }],
    });
    const first = await storeInboundMessage({ ...scope, content });
    expect(first.duplicate).toBe(false);
    const again = await storeInboundMessage({ ...scope, content: { ...content, messageId: ` ${content.messageId.toUpperCase()} ` } });
    expect(again).toMatchObject({ duplicate: true, message: { id: first.message.id } });
    expect(await getDb().message.count({ where: scope })).toBe(1);

    const dto = await getMessageDto({ ...scope, id: first.message.id });
    expect(dto).toMatchObject({
      id: first.message.id,
      direction: "inbound",
      status: "received",
      subject: "Quarterly invoice",
      from: { address: "sender@example.org", name: "Sally Sender" },
      text: content.text,
      html: "<p>Hello</p>",
      messageId: content.messageId,
      read: false,
      attachments: [{ filename: "invoice.pdf", contentType: "application/pdf", size: 13 }],
    });
    const json = JSON.stringify(dto);
    for (const field of ["metaCipher", "bodyCipher", "rfcMessageIdHash", "searchTokens", "dataCipher", "tenantId"]) {
      expect(json).not.toContain(field);
    }
  });

  it("threads replies by In-Reply-To and References, never across mailboxes", async () => {
    const world = await createTestWorld();
    const other = await createTestMailbox(world.tenant.id);
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const root = await storeInboundMessage({ ...scope, content: testContent() });
    const rootId = (await getMessageDto({ ...scope, id: root.message.id })).messageId;

    const content = testContent({ subject: "Re: Quarterly invoice", inReplyTo: rootId, references: [rootId] });
    const { cipher } = await prepareOutbound({ ...scope, content });
    const reply = await getDb().$transaction((tx) => storeOutboundMessage(tx, { ...scope, content, status: "queued", cipher }));
    expect(reply.threadId).toBe(root.message.threadId);
    expect(reply.direction).toBe("outbound");

    const third = await storeInboundMessage({ ...scope, content: testContent({ references: ["<unknown@x>", rootId] }) });
    expect(third.message.threadId).toBe(root.message.threadId);
    const thread = await getDb().thread.findFirstOrThrow({ where: { id: root.message.threadId } });
    expect(thread.messageCount).toBe(3);
    // A late delivery of an older reply joins the thread without moving its latest time back.
    await storeInboundMessage({ ...scope, content: testContent({ inReplyTo: rootId }), receivedAt: new Date("2020-01-01T00:00:00Z") });
    const after = await getDb().thread.findFirstOrThrow({ where: { id: root.message.threadId } });
    expect(after.messageCount).toBe(4);
    expect(after.lastMessageAt).toEqual(thread.lastMessageAt);

    const elsewhere = await storeInboundMessage({ tenantId: world.tenant.id, mailboxId: other.id, content: testContent({ inReplyTo: rootId }) });
    expect(elsewhere.message.threadId).not.toBe(root.message.threadId);

    const otherCipher = await getMailboxCipher(world.tenant.id, other.id);
    await expect(
      getDb().$transaction((tx) => storeOutboundMessage(tx, { ...scope, content: testContent(), status: "queued", cipher: otherCipher })),
    ).rejects.toThrow(/another mailbox/);
  });

  it("a message of another mailbox or tenant is not found", async () => {
    const a = await createTestWorld();
    const b = await createTestWorld();
    const stored = await storeInboundMessage({ tenantId: a.tenant.id, mailboxId: a.mailbox.id, content: testContent() });
    await expect(getMessageDto({ tenantId: b.tenant.id, mailboxId: a.mailbox.id, id: stored.message.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(getMessageDto({ tenantId: a.tenant.id, mailboxId: (await createTestMailbox(a.tenant.id)).id, id: stored.message.id })).rejects.toMatchObject({ code: "not_found" });
  });

  it("stores every real-world fixture and reads back the same subject, bodies and attachment bytes", async () => {
    const world = await createTestWorld();
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const dir = path.resolve(import.meta.dirname, "../fixtures/emails");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".eml"))) {
      const content = await parseRawEmail(readFileSync(`${dir}/${file}`));
      const { message, duplicate } = await storeInboundMessage({ ...scope, content });
      expect(duplicate, file).toBe(false);
      const dto = await getMessageDto({ ...scope, id: message.id });
      expect(dto.subject, file).toBe(content.subject);
      expect(dto.text, file).toBe(content.text);
      expect(dto.html, file).toBe(content.html);
      expect(dto.attachments.map((a) => a.filename), file).toEqual(content.attachments.map((a) => a.filename));
      for (const [i, a] of dto.attachments.entries()) {
        const got = await getAttachment({ ...scope, messageId: message.id, id: a.id });
        expect(got.data.equals(content.attachments[i].content), `${file} ${a.filename}`).toBe(true);
      }
    }
  });
});
