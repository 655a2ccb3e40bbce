import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { readJson } from "@/lib/http/json-body";
import { idempotencyRequestHash, readIdempotencyKey } from "@/lib/http/idempotency";
import { acceptedResponse } from "@/lib/outbound/accepted-response";
import { forwardMessage } from "@/lib/outbound/forward-message";
import { forwardMessageBody } from "@/lib/outbound/schemas";

type Params = { mailboxId: string; messageId: string };

// POST /api/v1/mailboxes/{mailboxId}/messages/{messageId}/forward – forward with its attachments (honours Idempotency-Key)
export const POST = withApiKey<Params>(
  async (req, ctx) => {
    const key = readIdempotencyKey(req);
    const body = await readJson(req, forwardMessageBody);
    const result = await forwardMessage({
      tenantId: ctx.tenant.id,
      mailbox: ctx.mailbox!,
      messageId: ctx.params.messageId,
      body,
      idempotency: key ? { key, requestHash: idempotencyRequestHash("POST", new URL(req.url).pathname, body) } : null,
    });
    return acceptedResponse(result);
  },
  { role: "read_write" },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("POST");
