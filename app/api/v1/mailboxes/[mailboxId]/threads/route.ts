import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { parseQuery } from "@/lib/http/json-body";
import { mailboxScope } from "@/lib/http/mailbox-scope";
import { listThreads } from "@/lib/messages/list-threads";
import { listThreadsQuery } from "@/lib/messages/schemas";

type Params = { mailboxId: string };

// GET /api/v1/mailboxes/{mailboxId}/threads – threads, most recent activity first
export const GET = withApiKey<Params>(
  async (req, ctx) => Response.json(await listThreads({ ...mailboxScope(ctx), ...parseQuery(req, listThreadsQuery) })),
  { role: "read" },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET");
