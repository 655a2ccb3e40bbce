// Resend's webhooks, signed by svix: verified over the raw body with
// RESEND_WEBHOOK_SECRET (svix's own 5-minute timestamp tolerance).
import "server-only";
import { Webhook } from "svix";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/errors";

export type ResendEvent = { type: string; created_at?: string; data?: Record<string, unknown> };

/** Returns the svix message id and the verified event; 400 in the API error shape when anything is off. */
export function verifyResendWebhook(rawBody: string, headers: Headers): { webhookId: string; event: ResendEvent } {
  const secret = getEnv().RESEND_WEBHOOK_SECRET;
  if (!secret) throw new ApiError("service_unavailable", "Resend webhooks are not configured (RESEND_WEBHOOK_SECRET)");
  const svixHeaders = {
    "svix-id": headers.get("svix-id") ?? "",
    "svix-timestamp": headers.get("svix-timestamp") ?? "",
    "svix-signature": headers.get("svix-signature") ?? "",
  };
  let event: unknown;
  try {
    event = new Webhook(secret).verify(rawBody, svixHeaders);
  } catch {
    throw new ApiError("validation_error", "The webhook signature or timestamp is invalid", {
      details: [{ path: "svix-signature", message: "must be a valid svix signature made within the last 5 minutes" }],
    });
  }
  if (!event || typeof event !== "object" || typeof (event as ResendEvent).type !== "string") {
    throw new ApiError("validation_error", "The webhook body is not a Resend event", { details: [{ path: "type", message: "required" }] });
  }
  return { webhookId: svixHeaders["svix-id"], event: event as ResendEvent };
}
