import { methodsOtherThan } from "@/lib/http/method-not-allowed";
import { withApiKey } from "@/lib/http/with-api-key";
import { parseQuery } from "@/lib/http/json-body";
import { listDeliveries } from "@/lib/webhooks/manage-webhooks";
import { listDeliveriesQuery } from "@/lib/webhooks/schemas";
import { webhookScope } from "@/lib/webhooks/webhook-scope";

type Params = { webhookId: string };

// GET /api/v1/webhooks/{webhookId}/deliveries – the endpoint's deliveries, newest first
export const GET = withApiKey<Params>(
  async (req, ctx) => Response.json(await listDeliveries(webhookScope(ctx), ctx.params.webhookId, parseQuery(req, listDeliveriesQuery))),
  { role: "management" },
);

export const { PUT, POST, PATCH, DELETE, OPTIONS } = methodsOtherThan("GET");
