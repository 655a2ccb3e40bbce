// Real ids for the authorization matrix's path parameters beyond {mailboxId}, so an
// allowed call reaches the resource instead of a 404 for a made-up id.
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { newWebhookSecret } from "@/lib/webhooks/manage-webhooks";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { createDraft } from "@/lib/drafts/manage-drafts";
import { testContent } from "@/test/helpers/messages";

export async function matrixResources(world: { tenant: { id: string }; mailbox: { id: string } }): Promise<Record<string, string>> {
  const { message } = await storeInboundMessage({
    tenantId: world.tenant.id,
    mailboxId: world.mailbox.id,
    content: testContent({ attachments: [{ filename: "matrix.txt", contentType: "text/plain", content: Buffer.from("matrix") }] }),
  });
  const attachment = await getDb().attachment.findFirstOrThrow({ where: { tenantId: world.tenant.id, messageId: message.id }, select: { id: true } });
  // A webhook endpoint filtered to the world's mailbox: its management mailbox key may manage it.
  const webhook = await getDb().webhookEndpoint.create({
    data: { id: uuidv7(), tenantId: world.tenant.id, url: "https://hooks.example.com/matrix", mailboxIds: [world.mailbox.id], secret: newWebhookSecret() },
  });
  const draft = await createDraft({ tenantId: world.tenant.id, mailboxId: world.mailbox.id, body: { to: ["matrix@elsewhere.example"], subject: "Matrix", text: "matrix" } });
  return { draftId: draft.id, messageId: message.id, threadId: message.threadId, attachmentId: attachment.id, webhookId: webhook.id, direction: "send", kind: "block", entry: "@matrix.test" };
}
