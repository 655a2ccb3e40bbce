"use server";

import { z } from "zod";
import { setTenantSending } from "@/lib/guardrails/sending-switch";
import { runSessionAction } from "@/lib/http/with-session";

const sendingSchema = z.object({ sending: z.enum(["active", "paused"]) });

// The kill switch: owners only (SPEC §13 "an owner can stop all sending of the tenant at once").
export async function setTenantSendingAction(raw: z.input<typeof sendingSchema>) {
  return runSessionAction({ role: "owner", action: "pause or resume sending" }, async (session) => {
    const { sending } = sendingSchema.parse(raw);
    const { tenant } = await setTenantSending({ tenantId: session.tenant.id, sending, actor: session.actor });
    return { sending: tenant.sending };
  });
}
