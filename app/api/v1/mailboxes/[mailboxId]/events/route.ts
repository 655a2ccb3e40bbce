import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { mailboxScope } from "@/lib/http/mailbox-scope";
import { eventsResponse } from "@/lib/events/events-response";

type Params = { mailboxId: string };

// GET /api/v1/mailboxes/{mailboxId}/events – the mailbox's events as Server-Sent Events (or a JSON page)
export const GET = withApiKey<Params>(
  async (req, ctx) => eventsResponse(req, { ...mailboxScope(ctx), keyId: ctx.principal.keyId }),
  { role: "read" },
);

export const { PUT, POST, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET");
