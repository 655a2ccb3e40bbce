import "server-only";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { CliError } from "@/lib/cli/parse-args";

/** The tenant of --tenant, refused when this deployment does not serve its region (SPEC §9). */
export async function requireServedTenant(tenantId: string): Promise<string> {
  const tenant = await getDb().tenant.findFirst({ where: { id: tenantId }, select: { id: true, region: true } });
  if (!tenant) throw new CliError(`Unknown tenant ${tenantId}`);
  assertServedRegion(tenant.region, tenantId);
  return tenant.id;
}

export function assertServedRegion(region: string, tenantId: string): void {
  const served = getEnv().SAIRAPH_REGION;
  if (region !== served) {
    throw new CliError(`Tenant ${tenantId} is in region "${region}"; this deployment serves "${served}"`);
  }
}
