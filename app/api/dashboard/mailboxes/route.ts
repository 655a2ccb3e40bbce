import { withSession } from "@/lib/http/with-session";
import { parseQuery } from "@/lib/http/json-body";
import { listMailboxesWithKeyCounts } from "@/lib/mailboxes/list-mailboxes-with-keys";
import { listMailboxesQuery } from "@/lib/mailboxes/schemas";

export const dynamic = "force-dynamic";

// GET /api/dashboard/mailboxes?q=&cursor=&limit= – the signed-in member's mailbox list (the REST listing's query and pages)
export const GET = withSession(async (request, session) =>
  Response.json(await listMailboxesWithKeyCounts({ tenantId: session.tenant.id, ...parseQuery(request, listMailboxesQuery) })),
);
