import "server-only";
import { getDb, type Tx } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { uuidv7 } from "@/lib/ids";
import { ApiError } from "@/lib/errors";
import { recordAuditEvent, type Actor } from "@/lib/audit/record-event";
import { hashPassword } from "@/lib/auth/password";
import { createDevDomain } from "@/lib/domains/add-domain";
import { NO_CONTROL_CHARS } from "@/lib/mailboxes/schemas";

export type CreateTenantInput = {
  name: string;
  region?: string;
  owner?: { email: string; password?: string; name?: string; userId?: string };
  actor: Actor;
};

/** Refuses a tenant in a region this deployment does not serve (SPEC §9). */
export function assertRegionServed(region: string): void {
  const served = getEnv().SAIRAPH_REGION;
  if (region !== served) {
    throw new ApiError("validation_error", `This deployment serves region "${served}", not "${region}"`, {
      details: [{ path: "region", message: `must be "${served}"` }],
    });
  }
}

export async function createTenant(input: CreateTenantInput) {
  const name = input.name.trim();
  if (!name || name.length > 100 || !NO_CONTROL_CHARS.test(name)) {
    throw new ApiError("validation_error", "Tenant name must be 1 to 100 characters without control characters", {
      details: [{ path: "name", message: "must be 1 to 100 characters without control characters" }],
    });
  }
  const region = input.region ?? getEnv().SAIRAPH_REGION;
  assertRegionServed(region);
  const passwordHash = input.owner?.password ? await hashPassword(input.owner.password) : null;

  return getDb().$transaction(async (tx) => {
    const tenant = await tx.tenant.create({ data: { id: uuidv7(), name, region } });
    const devDomain = await createDevDomain(tx, tenant.id, name);
    let ownerId: string | null = null;
    if (input.owner) {
      ownerId = await attachOwner(tx, tenant.id, input.owner, passwordHash);
      // The owner it was created for may reach it before verifying their address.
      await tx.tenant.update({ where: { id: tenant.id }, data: { createdById: ownerId } });
    }
    await recordAuditEvent(tx, {
      tenantId: tenant.id,
      actor: input.actor,
      action: "tenant.created",
      targetType: "tenant",
      targetId: tenant.id,
      metadata: { name, region },
    });
    return { tenant, devDomain, ownerId };
  });
}

async function attachOwner(
  tx: Tx,
  tenantId: string,
  owner: NonNullable<CreateTenantInput["owner"]>,
  passwordHash: string | null,
): Promise<string> {
  const email = owner.email.trim().toLowerCase();
  let user = owner.userId
    ? await tx.user.findUnique({ where: { id: owner.userId } })
    : await tx.user.findUnique({ where: { email } });
  if (!user) {
    // Only the operator (CLI) names an owner by address: they vouch for it.
    user = await tx.user.create({ data: { id: uuidv7(), email, name: owner.name ?? null, passwordHash, emailVerified: new Date() } });
  } else if (passwordHash && !user.passwordHash) {
    user = await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
  }
  await tx.membership.create({ data: { id: uuidv7(), tenantId, userId: user.id, role: "owner" } });
  return user.id;
}
