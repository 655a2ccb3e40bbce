// A thread for the dashboard's thread view: the REST thread (messages with bodies)
// plus each outbound message's delivery attempts.
import "server-only";
import { getThread } from "@/lib/messages/get-thread";
import { listDeliveryAttempts } from "@/lib/outbound/list-delivery-attempts";

export async function getThreadWithDeliveries(input: { tenantId: string; mailboxId: string; id: string }) {
  const thread = await getThread(input);
  const deliveries = await listDeliveryAttempts({
    tenantId: input.tenantId,
    messageIds: thread.messages.filter((m) => m.direction === "outbound").map((m) => m.id),
  });
  return { ...thread, deliveries };
}

export type ThreadView = Awaited<ReturnType<typeof getThreadWithDeliveries>>;
