// Request and response schemas of the guardrail routes (SPEC §13); the route table uses them.
import { z } from "zod";

export const tenantDto = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  sending: z.enum(["active", "paused"]),
  sendingPausedAt: z.string().nullable(),
});

export const updateTenantBody = z.strictObject({ sending: z.enum(["active", "paused"]) });
