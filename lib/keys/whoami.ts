import { z } from "zod";
import type { MailboxRef, Principal, TenantRef } from "@/lib/keys/authenticate-key";

export const whoamiDto = z.object({
  key: z.object({
    id: z.string(),
    kind: z.enum(["mailbox", "tenant"]),
    role: z.enum(["read", "read_write", "management"]),
    prefix: z.string(),
    last4: z.string(),
    expiresAt: z.string().nullable(),
  }),
  tenant: z.object({ id: z.string(), name: z.string(), region: z.string() }),
  mailbox: z.object({ id: z.string(), address: z.string(), displayName: z.string().nullable() }).nullable(),
});

export function toWhoami(ctx: { principal: Principal; tenant: TenantRef; mailbox: MailboxRef | null }): z.infer<typeof whoamiDto> {
  const { principal, tenant, mailbox } = ctx;
  return {
    key: {
      id: principal.keyId,
      kind: principal.kind,
      role: principal.role,
      prefix: principal.prefix,
      last4: principal.last4,
      expiresAt: principal.expiresAt?.toISOString() ?? null,
    },
    tenant: { id: tenant.id, name: tenant.name, region: tenant.region },
    mailbox: mailbox ? { id: mailbox.id, address: mailbox.address, displayName: mailbox.displayName } : null,
  };
}
