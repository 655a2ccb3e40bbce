import "server-only";
import { getDb } from "@/lib/db";
import type { DnsRecord } from "@/lib/domains/provider-domains";
import { isLocalhostDomain, verificationRecord } from "@/lib/domains/verify-domain";


export async function listDomains(input: { tenantId: string }) {
  const rows = await getDb().domain.findMany({
    where: { tenantId: input.tenantId },
    orderBy: [{ isDev: "desc" }, { id: "asc" }],
    select: { id: true, name: true, status: true, isDev: true, dnsRecords: true, createdAt: true, verificationToken: true, verifiedAt: true, lastCheckedAt: true },
  });
  return rows.map(({ verificationToken, ...d }) => ({
    ...d,
    createdAt: d.createdAt.toISOString(),
    verifiedAt: d.verifiedAt?.toISOString() ?? null,
    lastCheckedAt: d.lastCheckedAt?.toISOString() ?? null,
    // The proof of ownership to publish (none needed for .localhost).
    verificationRecord: d.isDev || isLocalhostDomain(d.name) ? null : verificationRecord({ name: d.name, verificationToken }),
    dnsRecords: Array.isArray(d.dnsRecords) ? (d.dnsRecords as DnsRecord[]) : [],
  }));
}
