// The default provider: mail to an address that is a mailbox of this deployment
// arrives there through the same ingest path as mail from outside (lib/inbound:
// routing, one copy per mailbox, threading, dedupe, bounce reports), so a retry
// never stores it twice; mail to anyone else is only recorded as sent. Those
// messages make up the dashboard's dev outbox (listDevOutbox).
import "server-only";
import { ingestMessage } from "@/lib/inbound/ingest-message";
import type { MailProvider, OutboundEmail, ProviderResult } from "@/lib/outbound/providers/types";

export const localProvider: MailProvider = {
  name: "local",
  async send(email: OutboundEmail): Promise<ProviderResult> {
    const { content } = email;
    try {
      await ingestMessage({
        receipt: null,
        // Bcc recipients get the mail but never see who else was blind-copied.
        content: { ...content, bcc: [] },
        envelopeRecipients: [...content.to, ...content.cc, ...content.bcc].map((p) => p.address),
        countUnknown: false,
      });
    } catch (err) {
      return { ok: false, retryable: true, httpStatus: null, message: `local delivery failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    return { ok: true, providerMessageId: `local_${email.messageId}` };
  },
};
