// The default provider: mail to an address that is a mailbox of this deployment is
// stored there as inbound mail (its thread and dedupe logic apply, so a retry never
// stores it twice); mail to anyone else is only recorded as sent. Those messages make
// up the dashboard's dev outbox (listDevOutbox).
import "server-only";
import { getDb } from "@/lib/db";
import { storeInboundMessage } from "@/lib/messages/store-message";
import { normalizeAddress } from "@/lib/outbound/addresses";
import type { MailProvider, OutboundEmail, ProviderResult } from "@/lib/outbound/providers/types";

export const localProvider: MailProvider = {
  name: "local",
  async send(email: OutboundEmail): Promise<ProviderResult> {
    const { content } = email;
    const recipients = [...new Set([...content.to, ...content.cc, ...content.bcc].map((p) => normalizeAddress(p.address)))];
    try {
      const mailboxes = await getDb().mailbox.findMany({
        where: { address: { in: recipients }, status: { not: "deleted" } },
        select: { id: true, tenantId: true },
      });
      // Bcc recipients get the mail but never see who else was blind-copied.
      const delivered = { ...content, bcc: [] };
      for (const mailbox of mailboxes) {
        await storeInboundMessage({ tenantId: mailbox.tenantId, mailboxId: mailbox.id, content: delivered });
      }
    } catch (err) {
      return { ok: false, retryable: true, httpStatus: null, message: `local delivery failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    return { ok: true, providerMessageId: `local_${email.messageId}` };
  },
};
