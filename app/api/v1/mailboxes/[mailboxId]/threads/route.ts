import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { listThreads } from "@/lib/messages/list-threads";

// GET /api/v1/mailboxes/{mailboxId}/threads – threads, most recent activity first
export const GET = withApiKey(ROUTES.listThreads, async (ctx) => listThreads({ ...ctx.scope, ...ctx.query }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.listThreads.path);
