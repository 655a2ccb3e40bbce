"use server";

import { z } from "zod";
import { runSessionAction } from "@/lib/http/with-session";
import { createWebhookBody } from "@/lib/webhooks/schemas";
import {
  createWebhook,
  deleteWebhook,
  resendDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhook,
  type WebhookScope,
} from "@/lib/webhooks/manage-webhooks";

// Owners and admins manage every endpoint of the active tenant (SPEC §12); a secret
// goes to this one response only, to be shown once.

const scopeOf = (tenantId: string): WebhookScope => ({ tenantId, ownMailboxId: null });
const endpointRef = z.object({ endpointId: z.uuid() });

export async function createWebhookAction(raw: z.input<typeof createWebhookBody>) {
  return runSessionAction({ role: "admin", action: "create webhook endpoints" }, async (session) => {
    const created = await createWebhook(scopeOf(session.tenant.id), createWebhookBody.parse(raw));
    return { id: created.id, secret: created.secret };
  });
}

export async function setWebhookEnabledAction(raw: { endpointId: string; enabled: boolean }) {
  return runSessionAction({ role: "admin", action: "change webhook endpoints" }, async (session) => {
    const input = endpointRef.extend({ enabled: z.boolean() }).parse(raw);
    const updated = await updateWebhook(scopeOf(session.tenant.id), input.endpointId, { enabled: input.enabled });
    return { id: updated.id, enabled: updated.enabled };
  });
}

export async function rotateWebhookSecretAction(raw: { endpointId: string }) {
  return runSessionAction({ role: "admin", action: "rotate webhook secrets" }, async (session) => {
    const rotated = await rotateWebhookSecret(scopeOf(session.tenant.id), endpointRef.parse(raw).endpointId);
    return { id: rotated.id, secret: rotated.secret };
  });
}

export async function deleteWebhookAction(raw: { endpointId: string }) {
  return runSessionAction({ role: "admin", action: "delete webhook endpoints" }, async (session) =>
    deleteWebhook(scopeOf(session.tenant.id), endpointRef.parse(raw).endpointId),
  );
}

export async function sendTestEventAction(raw: { endpointId: string }) {
  return runSessionAction({ role: "admin", action: "send test events" }, async (session) => {
    const delivery = await sendTestEvent(scopeOf(session.tenant.id), endpointRef.parse(raw).endpointId);
    return { id: delivery.id };
  });
}

export async function resendDeliveryAction(raw: { endpointId: string; deliveryId: string }) {
  return runSessionAction({ role: "admin", action: "resend webhook deliveries" }, async (session) => {
    const input = endpointRef.extend({ deliveryId: z.uuid() }).parse(raw);
    const delivery = await resendDelivery(scopeOf(session.tenant.id), input.endpointId, input.deliveryId);
    return { id: delivery.id };
  });
}
