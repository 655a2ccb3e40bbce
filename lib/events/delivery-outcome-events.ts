// The events of a delivery outcome (a provider webhook or a DSN/ARF report that came
// back as mail): message.<status> when the message's status moved forward, and
// message.suppressed when recipients were put on the mailbox's suppression list.
import "server-only";
import type { Tx } from "@/lib/db";
import { messageEventData, recordEvent } from "@/lib/events/record-event";
import type { EventType } from "@/lib/events/types";

export async function recordDeliveryOutcome(
  tx: Tx,
  input: {
    tenantId: string;
    mailboxId: string;
    messageId: string;
    threadId: string;
    /** The status the outcome moves the message to (sent, delayed, delivered, bounced, complained, failed). */
    status: string | null;
    statusMoved: boolean;
    suppressed: number;
  },
): Promise<void> {
  const scope = { tenantId: input.tenantId, mailboxId: input.mailboxId };
  if (input.status && input.statusMoved) {
    await recordEvent(tx, {
      ...scope,
      type: `message.${input.status}` as EventType,
      data: messageEventData({ id: input.messageId, threadId: input.threadId, direction: "outbound", status: input.status }),
    });
  }
  if (input.suppressed > 0) {
    await recordEvent(tx, {
      ...scope,
      type: "message.suppressed",
      data: {
        messageId: input.messageId,
        threadId: input.threadId,
        reason: input.status === "complained" ? "complaint" : "bounce",
        suppressedCount: input.suppressed,
      },
    });
  }
}
