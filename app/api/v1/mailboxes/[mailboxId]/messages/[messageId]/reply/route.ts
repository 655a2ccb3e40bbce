import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { readJson } from "@/lib/http/json-body";
import { readIdempotencyKey } from "@/lib/http/idempotency";
import { idempotencyRequestHash } from "@/lib/idempotency/idempotency-records";
import { acceptedResponse } from "@/lib/outbound/accepted-response";
import { replyToMessage } from "@/lib/outbound/reply-message";
import { replyMessageBody } from "@/lib/outbound/schemas";

type Params = { mailboxId: string; messageId: string };

// POST /api/v1/mailboxes/{mailboxId}/messages/{messageId}/reply – reply in the thread (honours Idempotency-Key)
export const POST = withApiKey<Params>(
  async (req, ctx) => {
    const key = readIdempotencyKey(req);
    const body = await readJson(req, replyMessageBody);
    const result = await replyToMessage({
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
