"use server";

import { z } from "zod";
import { runSessionAction } from "@/lib/http/with-session";
import { addDomain } from "@/lib/domains/add-domain";
import { checkDomain } from "@/lib/domains/verify-domain";

const addDomainSchema = z.object({ domain: z.string().trim().min(1, "Enter a domain name").max(253) });

// Add a sending/receiving domain to the active tenant.
export async function addDomainAction(raw: z.input<typeof addDomainSchema>) {
  return runSessionAction({ role: "admin", action: "add domains" }, async (session) => {
    const { domain } = addDomainSchema.parse(raw);
    const created = await addDomain({ tenantId: session.tenant.id, domain, actor: session.actor });
    return { id: created.id, name: created.name, status: created.status };
  });
}

const checkDomainSchema = z.object({ domainId: z.string().min(1).max(64) });

// Look the domain's TXT record up now ("check now").
export async function checkDomainAction(raw: z.input<typeof checkDomainSchema>) {
  return runSessionAction({ role: "admin", action: "verify domains" }, async (session) => {
    const { domainId } = checkDomainSchema.parse(raw);
    const checked = await checkDomain({ tenantId: session.tenant.id, domainId, actor: session.actor });
    return { name: checked.name, status: checked.status };
  });
}
