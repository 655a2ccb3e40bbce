import { withSession } from "@/lib/http/with-session";
import { ApiError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { getThreadWithDeliveries } from "@/lib/messages/get-thread-with-deliveries";

export const dynamic = "force-dynamic";

type Params = { mailboxId: string; threadId: string };

// GET /api/dashboard/mailboxes/{mailboxId}/threads/{threadId} – a thread with bodies and delivery history
export const GET = withSession<Params>(async (_request, ctx) => {
  if (!isUuid(ctx.params.mailboxId)) throw new ApiError("not_found", "Mailbox not found");
  const mailbox = await getMailboxOrThrow({ tenantId: ctx.tenant.id, id: ctx.params.mailboxId });
  return Response.json(await getThreadWithDeliveries({ tenantId: ctx.tenant.id, mailboxId: mailbox.id, id: ctx.params.threadId }));
});
