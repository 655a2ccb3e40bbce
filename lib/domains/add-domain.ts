import "server-only";
import { recordEvent } from "@/lib/events/record-event";
import { randomBytes } from "node:crypto";
import { getDb, type Tx } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { uuidv7 } from "@/lib/ids";
import { ApiError, isUniqueViolation } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { registerDomainWithProvider } from "@/lib/domains/provider-domains";
import { isLocalhostDomain, newVerificationToken } from "@/lib/domains/verify-domain";

/** Every tenant gets a development domain that works with the local provider out of the box. */
export const DEV_DOMAIN_SUFFIX = "mail.localhost";

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export function normalizeDomain(input: string): string {
  const domain = input.trim().toLowerCase().replace(/\.$/, "");
  if (!DOMAIN_RE.test(domain)) {
    throw new ApiError("validation_error", `"${input}" is not a valid domain name`, {
      details: [{ path: "domain", message: "must be a domain name such as agents.example.com" }],
    });
  }
  return domain;
}

function slugify(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 30);
  return slug || "tenant";
}

export async function createDevDomain(tx: Tx, tenantId: string, tenantName: string) {
  const name = `${slugify(tenantName)}-${randomBytes(3).toString("hex")}.${DEV_DOMAIN_SUFFIX}`;
  return tx.domain.create({
    data: { id: uuidv7(), tenantId, name, status: "verified", isDev: true, dnsRecords: [], verificationToken: newVerificationToken(), verifiedAt: new Date() },
  });
}

export async function addDomain(input: { tenantId: string; domain: string; actor: Actor }) {
  const name = normalizeDomain(input.domain);
  const db = getDb();
  const tenant = await db.tenant.findFirst({ where: { id: input.tenantId } });
  if (!tenant) throw new ApiError("not_found", "Tenant not found");
  const existing = await db.domain.findFirst({ where: { name, status: "verified" }, select: { tenantId: true } });
  if (existing?.tenantId === input.tenantId) throw new ApiError("conflict", `The domain ${name} is already registered`);
  // A name verified by another tenant may still be claimed: publishing the record
  // later proves a change of hands. With Resend its own DNS records come too.
  const registration =
    getEnv().MAIL_PROVIDER === "resend" && !isLocalhostDomain(name)
      ? await registerDomainWithProvider(name)
      : { providerDomainId: null, dnsRecords: [] };
  const instant = isLocalhostDomain(name);
  try {
    return await db.$transaction(async (tx) => {
      const domain = await tx.domain.create({
        data: {
          id: uuidv7(),
          tenantId: input.tenantId,
          name,
          status: instant ? "verified" : "pending",
          verifiedAt: instant ? new Date() : null,
          verificationToken: newVerificationToken(),
          providerDomainId: registration.providerDomainId,
          dnsRecords: registration.dnsRecords,
        },
      });
      await recordAuditEvent(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: "domain.added",
        targetType: "domain",
        targetId: domain.id,
        metadata: { domain: name },
      });
      if (instant) await recordEvent(tx, { tenantId: input.tenantId, type: "domain.verified", data: { domainId: domain.id } });
      return domain;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", `The domain ${name} is already registered`);
    throw err;
  }
}
