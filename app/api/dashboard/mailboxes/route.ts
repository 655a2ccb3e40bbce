import { z } from "zod";
import { withSession } from "@/lib/http/with-session";
import { searchMailboxes } from "@/lib/mailboxes/search-mailboxes";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  q: z.string().max(200).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

// GET /api/dashboard/mailboxes?q=&cursor= – the signed-in member's mailbox search
export const GET = withSession(async (request, session) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await searchMailboxes({ tenantId: session.tenant.id, query: query.q, cursor: query.cursor, limit: query.limit }));
});
