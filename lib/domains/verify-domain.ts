// Domain ownership (SPEC §1): a claim is pending until the TXT record
// _sairaph-verify.<domain> carries "sairaph-verify=<the claim's token>". The record
// is looked up with Node's resolver (SAIRAPH_DNS_SERVERS points it at other servers,
// as the tests do). A verified claim displaces every other claim of the same name:
// pending ones without mailboxes are removed, the rest marked failed, so the name
// sends and receives for one tenant only.
import "server-only";
import { recordEvent } from "@/lib/events/record-event";
import { randomBytes } from "node:crypto";
import { Resolver } from "node:dns/promises";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import type { DnsRecord } from "@/lib/domains/provider-domains";

export const VERIFY_PREFIX = "_sairaph-verify";
/** Pending claims are re-checked in the background at most this often. */
export const RECHECK_INTERVAL_MS = 5 * 60_000;

export function newVerificationToken(): string {
  return randomBytes(18).toString("base64url");
}

/** RFC 6761: .localhost is never anyone's real domain, so it needs no proof. */
export function isLocalhostDomain(name: string): boolean {
  return name === "localhost" || name.endsWith(".localhost");
}

/** The record a tenant publishes to prove its claim. */
export function verificationRecord(domain: { name: string; verificationToken: string }): DnsRecord {
  return { type: "TXT", name: `${VERIFY_PREFIX}.${domain.name}`, value: `sairaph-verify=${domain.verificationToken}` };
}

function resolver(): Resolver {
  const r = new Resolver({ timeout: 3000, tries: 2 });
  const servers = getEnv().SAIRAPH_DNS_SERVERS;
  if (servers) r.setServers(servers.split(",").map((s) => s.trim()));
  return r;
}

/** The TXT strings at _sairaph-verify.<name>; none when the name does not resolve. */
async function lookupVerificationTexts(name: string): Promise<string[]> {
  try {
    const records = await resolver().resolveTxt(`${VERIFY_PREFIX}.${name}`);
    return records.map((chunks) => chunks.join(""));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOTFOUND" || code === "ENODATA" || code === "ESERVFAIL" || code === "ETIMEOUT" || code === "ECONNREFUSED" || code === "EREFUSED") return [];
    throw err;
  }
}

export type DomainCheck = { id: string; name: string; status: "pending" | "verified" | "failed"; lastCheckedAt: Date | null; verifiedAt: Date | null };

/**
 * Looks the claim's record up now. Found: the claim is verified and displaces every
 * other claim of the name (a claim verified earlier by another tenant included:
 * whoever controls the DNS today owns the name). Not found: it stays as it is.
 */
export async function checkDomain(input: { tenantId: string; domainId: string; actor: Actor }): Promise<DomainCheck> {
  const db = getDb();
  const domain = await db.domain.findFirst({ where: { id: input.domainId, tenantId: input.tenantId } });
  if (!domain) throw new ApiError("not_found", "Domain not found");
  if (domain.status === "verified" && (domain.isDev || isLocalhostDomain(domain.name))) return pick(domain);
  const texts = await lookupVerificationTexts(domain.name);
  const proven = texts.includes(verificationRecord(domain).value);
  const now = new Date();
  if (!proven) {
    const updated = await db.domain.update({ where: { id: domain.id }, data: { lastCheckedAt: now } });
    return pick(updated);
  }
  const updated = await db.$transaction(async (tx) => {
    const others = await tx.domain.findMany({
      where: { name: domain.name, id: { not: domain.id } },
      select: { id: true, tenantId: true, status: true, _count: { select: { mailboxes: true } } },
    });
    for (const other of others) {
      if (other.status === "pending" && other._count.mailboxes === 0) await tx.domain.delete({ where: { id: other.id } });
      else await tx.domain.update({ where: { id: other.id }, data: { status: "failed", verifiedAt: null } });
      await recordAuditEvent(tx, {
        tenantId: other.tenantId,
        actor: { type: "system", label: "domain verification" },
        action: "domain.displaced",
        targetType: "domain",
        targetId: other.id,
        metadata: { domain: domain.name },
      });
    }
    const verified = await tx.domain.update({ where: { id: domain.id }, data: { status: "verified", verifiedAt: now, lastCheckedAt: now } });
    if (domain.status !== "verified") {
      await recordAuditEvent(tx, {
        tenantId: domain.tenantId,
        actor: input.actor,
        action: "domain.verified",
        targetType: "domain",
        targetId: domain.id,
        metadata: { domain: domain.name },
      });
      await recordEvent(tx, { tenantId: domain.tenantId, type: "domain.verified", data: { domainId: domain.id } });
    }
    return verified;
  });
  return pick(updated);
}

function pick(d: DomainCheck & Record<string, unknown>): DomainCheck {
  return { id: d.id, name: d.name, status: d.status, lastCheckedAt: d.lastCheckedAt, verifiedAt: d.verifiedAt };
}

/** Background re-check (housekeeping): pending claims not checked for RECHECK_INTERVAL_MS, a few per run. */
export async function recheckPendingDomains(limit = 20): Promise<number> {
  const due = await getDb().domain.findMany({
    where: { status: "pending", OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: new Date(Date.now() - RECHECK_INTERVAL_MS) } }] },
    orderBy: { lastCheckedAt: { sort: "asc", nulls: "first" } },
    take: limit,
    select: { id: true, tenantId: true },
  });
  let verified = 0;
  for (const d of due) {
    const result = await checkDomain({ tenantId: d.tenantId, domainId: d.id, actor: { type: "system", label: "domain re-check" } });
    if (result.status === "verified") verified += 1;
  }
  return verified;
}

/** Sending needs a verified domain: a pending or displaced claim sends nothing. */
export async function assertDomainCanSend(tenantId: string, mailboxId: string): Promise<void> {
  const row = await getDb().mailbox.findFirst({ where: { id: mailboxId, tenantId }, select: { domain: { select: { name: true, status: true } } } });
  if (row && row.domain.status !== "verified") {
    throw new ApiError(
      "forbidden",
      `The domain ${row.domain.name} is not verified, so this mailbox cannot send: publish the TXT record ${VERIFY_PREFIX}.${row.domain.name} shown on the Domains page`,
    );
  }
}
