import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { readJson } from "@/lib/http/json-body";
import { rotateSecretBody } from "@/lib/webhooks/schemas";
import { rotateWebhookSecret } from "@/lib/webhooks/manage-webhooks";
import { webhookScope } from "@/lib/webhooks/webhook-scope";

type Params = { webhookId: string };

// POST /api/v1/webhooks/{webhookId}/rotate-secret – new secret (shown once); the old one signs too for 24 h
export const POST = withApiKey<Params>(
  async (req, ctx) => {
    // No body, or an empty JSON object; anything else is a 400.
    if (req.headers.get("content-type") || req.headers.get("content-length") !== null) await readJson(req, rotateSecretBody);
    return Response.json(await rotateWebhookSecret(webhookScope(ctx), ctx.params.webhookId));
  },
  { role: "management" },
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsOtherThan("POST");
