// The default provider: mail to an address that is a mailbox of this deployment
// arrives there through the same ingest path as mail from outside (lib/inbound:
// routing, one copy per mailbox, threading, dedupe, bounce reports), so a retry
// never stores it twice; mail to anyone else is only recorded as sent. Those
// messages make up the dashboard's dev outbox (listDevOutbox).
import "server-only";
import { ingestMessage } from "@/lib/inbound/ingest-message";
import type { MailProvider, OutboundEmail, ProviderResult, ProviderSendOptions } from "@/lib/outbound/providers/types";

export const localProvider: MailProvider = {
  name: "local",
  async send(email: OutboundEmail, options: ProviderSendOptions): Promise<ProviderResult> {
    const { content } = email;
    let timer: NodeJS.Timeout | undefined;
    // Like a remote provider's call, a slow local delivery is cut off and retried; the
    // retry stores nothing twice (the same RFC Message-ID to the same mailbox is deduped).
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    const work = ingestMessage({
      receipt: null,
      // Bcc recipients get the mail but never see who else was blind-copied.
      content: { ...content, bcc: [] },
      envelopeRecipients: [...content.to, ...content.cc, ...content.bcc].map((p) => p.address),
      countUnknown: false,
    });
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
