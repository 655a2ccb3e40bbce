// The send fast path (storeOutboundNewThread) writes the rows the message store would:
// a message stored each way reads back identically through the read API and its
// blind indexes (dedupe hash, search tokens) match.
import { describe, expect, it } from "vitest";
import * as messages from "@/app/api/v1/mailboxes/[mailboxId]/messages/route";
import { getDb } from "@/lib/db";
import { getMessageDto, prepareOutbound, storeOutboundMessage } from "@/lib/messages/store-message";
import { getAttachment } from "@/lib/messages/get-attachment";
import { sendContent } from "@/lib/outbound/send-message";
import { sendMessageBody } from "@/lib/outbound/schemas";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestWorld } from "@/test/helpers/factories";

setupTestDatabase();

describe("storeOutboundNewThread", () => {
  it("stores what storeOutboundMessage stores", async () => {
    const world = await createTestWorld();
    const scope = { tenantId: world.tenant.id, mailboxId: world.mailbox.id };
    const request = {
      to: ["Ann Example <ann@example.com>"],
      cc: ["carl@example.com"],
      bcc: ["dora@example.com"],
      replyTo: ["help@example.com"],
      subject: "Quarterly numbers and a plan",
      text: "Hello Ann, the numbers are attached. Regards",
      html: "<p>Hello <b>Ann</b></p>",
      headers: { "X-Ref": "r-7" },
      attachments: [
        { filename: "q3.csv", contentType: "text/csv", content: Buffer.from("a,b\n1,2\n").toString("base64") },
        { filename: "logo.png", contentType: "image/png", content: Buffer.from("PNG").toString("base64"), contentId: "logo" },
      ],
    };
    const res = await call(messages.POST, "POST", "/x", { key: world.keys.read_write, params: { mailboxId: world.mailbox.id }, body: request });
    expect(res.status).toBe(202);
    const fast = await getMessageDto({ ...scope, id: res.json.id });
    expect(res.json).toEqual(fast);

    // The same content through the message store's writer, with the same Message-ID.
    const content = { ...sendContent({ ...world.mailbox, status: "active" }, sendMessageBody.parse(request), "x"), messageId: fast.messageId };
    await getDb().message.update({ where: { id: fast.id }, data: { rfcMessageIdHash: "moved-aside" } });
    const { cipher } = await prepareOutbound({ ...scope, content });
    const slowRow = await getDb().$transaction((tx) => storeOutboundMessage(tx, { ...scope, content, status: "queued", cipher, provider: "local" }));
    const slow = await getMessageDto({ ...scope, id: slowRow.id });

    const strip = (m: typeof fast) => ({ ...m, id: undefined, threadId: undefined, createdAt: undefined, attachments: m.attachments.map((a) => ({ ...a, id: undefined })) });
    expect(strip(fast)).toEqual(strip(slow));
    const [fastRow, slowDbRow] = await Promise.all([
      getDb().message.findFirstOrThrow({ where: { id: fast.id } }),
      getDb().message.findFirstOrThrow({ where: { id: slow.id } }),
    ]);
    expect([...fastRow.searchTokens].sort()).toEqual([...slowDbRow.searchTokens].sort());
    expect(slowDbRow.rfcMessageIdHash).not.toBe("moved-aside");
    expect({ ...fastRow, rfcMessageIdHash: slowDbRow.rfcMessageIdHash }).toMatchObject({
      direction: slowDbRow.direction,
      status: slowDbRow.status,
      sizeBytes: slowDbRow.sizeBytes,
      attachmentCount: 2,
      provider: "local",
      read: false,
      labels: [],
    });
    const thread = await getDb().thread.findFirstOrThrow({ where: { id: fast.threadId } });
    expect(thread).toMatchObject({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, messageCount: 1 });
    expect(thread.lastMessageAt.toISOString()).toBe(fast.createdAt);

    const logo = fast.attachments.find((a) => a.filename === "logo.png")!;
    const bytes = await getAttachment({ ...scope, messageId: fast.id, id: logo.id });
    expect(bytes).toMatchObject({ filename: "logo.png", contentType: "image/png" });
    expect(bytes.data.toString()).toBe("PNG");
  });
});
