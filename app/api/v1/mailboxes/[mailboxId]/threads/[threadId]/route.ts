import { otherMethods } from "@/lib/http/method-not-allowed";
import { ROUTES } from "@/lib/http/route-table";
import { withApiKey } from "@/lib/http/with-api-key";
import { getThread } from "@/lib/messages/get-thread";

// GET /api/v1/mailboxes/{mailboxId}/threads/{threadId} – a thread with its messages
export const GET = withApiKey(ROUTES.getThread, async (ctx) => getThread({ ...ctx.scope, id: ctx.params.threadId }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(ROUTES.getThread.path);
