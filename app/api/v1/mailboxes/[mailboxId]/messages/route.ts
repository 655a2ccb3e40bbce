import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { parseQuery, readJson } from "@/lib/http/json-body";
import { idempotencyRequestHash, readIdempotencyKey } from "@/lib/http/idempotency";
import { mailboxScope } from "@/lib/http/mailbox-scope";
import { listMessages } from "@/lib/messages/list-messages";
import { waitForMessages } from "@/lib/events/wait-for-message";
import { listMessagesQuery } from "@/lib/messages/schemas";
import { acceptedResponse } from "@/lib/outbound/accepted-response";
import { MAX_SEND_BODY_BYTES, sendMessageBody } from "@/lib/outbound/schemas";
import { sendMessage } from "@/lib/outbound/send-message";

type Params = { mailboxId: string };

// GET /api/v1/mailboxes/{mailboxId}/messages – list and search messages, newest first; ?wait= holds until one matches
export const GET = withApiKey<Params>(
  async (req, ctx) => {
    const { wait, ...query } = parseQuery(req, listMessagesQuery);
    const input = { ...mailboxScope(ctx), ...query };
    // ?wait=N: hold the request until a matching message exists (or N seconds pass).
    return Response.json(wait ? await waitForMessages({ ...input, waitSeconds: wait, signal: req.signal }) : await listMessages(input));
  },
  { role: "read" },
);

// POST /api/v1/mailboxes/{mailboxId}/messages – send (202 queued; honours Idempotency-Key)
export const POST = withApiKey<Params>(
  async (req, ctx) => {
    const key = readIdempotencyKey(req);
    const body = await readJson(req, sendMessageBody, MAX_SEND_BODY_BYTES);
    const result = await sendMessage({
      tenantId: ctx.tenant.id,
      mailbox: ctx.mailbox!,
      body,
      idempotency: key ? { key, requestHash: idempotencyRequestHash("POST", new URL(req.url).pathname, body) } : null,
    });
    return acceptedResponse(result);
  },
  { role: "read_write" },
);

export const { PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET", "POST");
