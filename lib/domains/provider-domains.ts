// Registering a domain with Resend: its DNS records and status are shown to the tenant.
import "server-only";
import { ApiError } from "@/lib/errors";
import { resendClient } from "@/lib/outbound/resend-client";

export type DnsRecord = { type: string; name: string; value: string; ttl?: string; priority?: number; status?: string };

export async function registerDomainWithProvider(name: string): Promise<{
  status: "pending" | "verified" | "failed";
  providerDomainId: string | null;
  dnsRecords: DnsRecord[];
}> {
  const { data, error } = await resendClient().domains.create({ name });
  if (error || !data) {
    throw new ApiError("provider_error", `Resend refused the domain: ${error?.message ?? "no response"}`);
  }
  return {
    status: data.status === "verified" ? "verified" : data.status === "failed" ? "failed" : "pending",
    providerDomainId: data.id,
    dnsRecords: (data.records ?? []).map((r) => ({
      type: r.type,
      name: r.name,
      value: r.value,
      ttl: r.ttl,
      priority: "priority" in r ? (r.priority as number | undefined) : undefined,
      status: r.status,
    })),
  };
}
