import { z } from "zod";
import { withSession } from "@/lib/http/with-session";
import { searchMailboxes } from "@/lib/mailboxes/search-mailboxes";
import { NO_CONTROL_CHARS } from "@/lib/mailboxes/schemas";
import { isUuid } from "@/lib/ids";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  q: z.string().max(200).regex(NO_CONTROL_CHARS, "must not contain control characters").optional(),
  cursor: z.string().refine(isUuid, "invalid cursor").optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

// GET /api/dashboard/mailboxes?q=&cursor= – the signed-in member's mailbox search
export const GET = withSession(async (request, session) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await searchMailboxes({ tenantId: session.tenant.id, query: query.q, cursor: query.cursor, limit: query.limit }));
});
