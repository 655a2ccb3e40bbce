// Real ids for the authorization matrix's path parameters beyond {mailboxId}, so an
// allowed call reaches the resource instead of a 404 for a made-up id.
import { getDb } from "@/lib/db";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { testContent } from "@/test/helpers/messages";

export async function matrixResources(world: { tenant: { id: string }; mailbox: { id: string } }): Promise<Record<string, string>> {
  const { message } = await storeInboundMessage({
    tenantId: world.tenant.id,
    mailboxId: world.mailbox.id,
    content: testContent({ attachments: [{ filename: "matrix.txt", contentType: "text/plain", content: Buffer.from("matrix") }] }),
  });
  const attachment = await getDb().attachment.findFirstOrThrow({ where: { tenantId: world.tenant.id, messageId: message.id }, select: { id: true } });
  return { messageId: message.id, threadId: message.threadId, attachmentId: attachment.id, direction: "send", kind: "block", entry: "@matrix.test" };
}
