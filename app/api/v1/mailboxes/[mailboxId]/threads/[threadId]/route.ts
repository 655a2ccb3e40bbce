import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { mailboxScope } from "@/lib/http/mailbox-scope";
import { getThread } from "@/lib/messages/get-thread";

type Params = { mailboxId: string; threadId: string };

// GET /api/v1/mailboxes/{mailboxId}/threads/{threadId} – a thread with its messages
export const GET = withApiKey<Params>(
  async (_req, ctx) => Response.json(await getThread({ ...mailboxScope(ctx), id: ctx.params.threadId })),
  { role: "read" },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET");
