// The default provider: mail to an address that is a mailbox of this deployment is
// stored there as inbound mail (its thread and dedupe logic apply, so a retry never
// stores it twice); mail to anyone else is only recorded as sent. Those messages make
// up the dashboard's dev outbox (listDevOutbox).
import "server-only";
import { getDb } from "@/lib/db";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { normalizeAddress } from "@/lib/outbound/addresses";
import type { MailProvider, OutboundEmail, ProviderResult, ProviderSendOptions } from "@/lib/outbound/providers/types";

async function deliverLocally(email: OutboundEmail): Promise<void> {
  const { content } = email;
  const recipients = [...new Set([...content.to, ...content.cc, ...content.bcc].map((p) => normalizeAddress(p.address)))];
  const mailboxes = await getDb().mailbox.findMany({
    where: { address: { in: recipients }, status: { not: "deleted" } },
    select: { id: true, tenantId: true },
  });
  // Bcc recipients get the mail but never see who else was blind-copied.
  const delivered = { ...content, bcc: [] };
  for (const mailbox of mailboxes) {
    await storeInboundMessage({ tenantId: mailbox.tenantId, mailboxId: mailbox.id, content: delivered });
  }
}

export const localProvider: MailProvider = {
  name: "local",
  async send(email: OutboundEmail, options: ProviderSendOptions): Promise<ProviderResult> {
    let timer: NodeJS.Timeout | undefined;
    // Like a remote provider's call, a slow local delivery is cut off and retried; the
    // retry stores nothing twice (the same RFC Message-ID to the same mailbox is deduped).
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    const work = deliverLocally(email);
    work.catch(() => {}); // settled after a timeout: the retry reports it
    try {
      await Promise.race([work, timeout]);
    } catch (err) {
      return { ok: false, retryable: true, httpStatus: null, message: `local delivery failed: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      clearTimeout(timer);
    }
    return { ok: true, providerMessageId: `local_${email.messageId}` };
  },
};
