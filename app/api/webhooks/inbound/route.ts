import { withoutKey } from "@/lib/http/with-api-key";
import { receiveRawMessage } from "@/lib/inbound/receive-raw-message";

// POST /api/webhooks/inbound – a raw RFC 5322 message (Standard Webhooks signed); 200 also for unknown recipients and duplicates
export const POST = withoutKey(async (req) => Response.json(await receiveRawMessage(req)));
