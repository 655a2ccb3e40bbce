import "server-only";
import { getDb } from "@/lib/db";
import type { DnsRecord } from "@/lib/domains/provider-domains";


export async function listDomains(input: { tenantId: string }) {
  const rows = await getDb().domain.findMany({
    where: { tenantId: input.tenantId },
    orderBy: [{ isDev: "desc" }, { id: "asc" }],
    select: { id: true, name: true, status: true, isDev: true, dnsRecords: true, createdAt: true },
  });
  return rows.map((d) => ({
    ...d,
    createdAt: d.createdAt.toISOString(),
    dnsRecords: Array.isArray(d.dnsRecords) ? (d.dnsRecords as DnsRecord[]) : [],
  }));
}
