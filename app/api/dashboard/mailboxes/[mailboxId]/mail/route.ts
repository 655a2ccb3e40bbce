import { withSession } from "@/lib/http/with-session";
import { parseQuery } from "@/lib/http/json-body";
import { isUuid } from "@/lib/ids";
import { getMailboxOrThrow } from "@/lib/mailboxes/get-mailbox";
import { listMailboxMail, mailListQuery } from "@/lib/messages/list-mailbox-mail";
import { ApiError } from "@/lib/errors";

export const dynamic = "force-dynamic";

type Params = { mailboxId: string };

// GET /api/dashboard/mailboxes/{mailboxId}/mail?q=&direction=&status=&unread=&label=&cursor= – threads, or matching messages
export const GET = withSession<Params>(async (request, ctx) => {
  if (!isUuid(ctx.params.mailboxId)) throw new ApiError("not_found", "Mailbox not found");
  const mailbox = await getMailboxOrThrow({ tenantId: ctx.tenant.id, id: ctx.params.mailboxId });
  const query = parseQuery(request, mailListQuery);
  return Response.json(await listMailboxMail({ tenantId: ctx.tenant.id, mailboxId: mailbox.id, ...query }));
});
