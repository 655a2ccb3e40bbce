// One interface for every way mail leaves: the official Resend SDK, or the local
// provider that delivers to this deployment's own mailboxes (the default).
import type { MessageContent } from "@/lib/outbound/content";

export type OutboundEmail = {
  /** Our message id; also the source of the provider idempotency key. */
  messageId: string;
  tenantId: string;
  mailboxId: string;
  content: MessageContent;
};

export type ProviderSendOptions = {
  /** The same on every retry of one message: a retry after a crash never sends twice. */
  idempotencyKey: string;
  /** Abort the provider call after this long; a timeout is retried. */
  timeoutMs: number;
};

export type ProviderResult =
  | { ok: true; providerMessageId: string }
  | {
      ok: false;
      /** 429, 5xx, timeouts and network errors: worth another attempt. */
      retryable: boolean;
      httpStatus: number | null;
      message: string;
      /** The provider's Retry-After (429, 503): no call to it before this long. */
      retryAfterMs?: number;
      /** The provider refused our credentials (401/403): pause the outbox, fail nothing. */
      credentialsRejected?: boolean;
    };

export interface MailProvider {
  readonly name: "local" | "resend";
  send(email: OutboundEmail, options: ProviderSendOptions): Promise<ProviderResult>;
}

/** The provider idempotency key of a message: derived from its id, stable across retries. */
export function providerIdempotencyKey(messageId: string): string {
  return `sairaph-message/${messageId}`;
}
