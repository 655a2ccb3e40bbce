import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { parseQuery } from "@/lib/http/json-body";
import { mailboxScope } from "@/lib/http/mailbox-scope";
import { listMessages } from "@/lib/messages/list-messages";
import { listMessagesQuery } from "@/lib/messages/schemas";

type Params = { mailboxId: string };

// GET /api/v1/mailboxes/{mailboxId}/messages – list and search messages, newest first
export const GET = withApiKey<Params>(
  async (req, ctx) => Response.json(await listMessages({ ...mailboxScope(ctx), ...parseQuery(req, listMessagesQuery) })),
  { role: "read" },
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
