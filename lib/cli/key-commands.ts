import "server-only";
import { getDb } from "@/lib/db";
import type { Actor } from "@/lib/audit/record-event";
import { issueKey, KEY_ROLES, revokeKey } from "@/lib/keys/issue-key";
import { CliError, parseDuration, stringFlag, type ParsedArgs } from "@/lib/cli/parse-args";
import { assertServedRegion, requireServedTenant } from "@/lib/cli/served-tenant";

const CLI: Actor = { type: "cli", label: "operator CLI" };

type Output = { json: Record<string, unknown>; text: string };

export const cliKeyCommands: Record<string, (args: ParsedArgs) => Promise<Output>> = {
  "key create": async (args) => {
    const tenantId = await requireServedTenant(stringFlag(args, "tenant", true));
    const expiresIn = stringFlag(args, "expires-in");
    const expiresAt = expiresIn ? new Date(Date.now() + parseDuration(expiresIn)) : null;
    const rpmFlag = stringFlag(args, "requests-per-minute");
    const requestsPerMinute = rpmFlag === undefined ? undefined : Number(rpmFlag);
    if (rpmFlag !== undefined && !/^\d+$/.test(rpmFlag)) throw new CliError("--requests-per-minute must be a whole number");
    let issued;
    if (args.flags.has("management")) {
      if (args.flags.has("mailbox") || args.flags.has("role")) {
        throw new CliError("--management keys are tenant-wide: leave out --mailbox and --role");
      }
      issued = await issueKey({ kind: "tenant", tenantId, expiresAt, requestsPerMinute, actor: CLI });
    } else {
      const mailboxId = stringFlag(args, "mailbox", true);
      const role = stringFlag(args, "role", true);
      if (!(KEY_ROLES as readonly string[]).includes(role)) {
        throw new CliError(`--role must be one of ${KEY_ROLES.join(", ")}`);
      }
      const mailbox = await getDb().mailbox.findFirst({ where: { id: mailboxId, tenantId }, select: { id: true } });
      if (!mailbox) throw new CliError(`Unknown mailbox ${mailboxId} in tenant ${tenantId}`);
      issued = await issueKey({
        kind: "mailbox",
        tenantId,
        mailboxId,
        role: role as (typeof KEY_ROLES)[number],
        expiresAt,
        requestsPerMinute,
        actor: CLI,
      });
    }
    return {
      json: { keyId: issued.key.id, secret: issued.secret },
      text: `Created key ${issued.key.id}. Secret (shown once, store it now):\n${issued.secret}`,
    };
  },
  "key revoke": async (args) => {
    const keyId = stringFlag(args, "key", true);
    const existing = await getDb().apiKey.findFirst({ where: { id: keyId }, select: { tenant: { select: { id: true, region: true } } } });
    if (!existing) throw new CliError(`Unknown key ${keyId}`);
    assertServedRegion(existing.tenant.region, existing.tenant.id);
    const key = await revokeKey({ keyId, tenantId: existing.tenant.id, actor: CLI });
    return {
      json: { keyId: key.id, revokedAt: key.revokedAt?.toISOString() ?? null },
      text: `Revoked key ${key.id} at ${key.revokedAt?.toISOString()}`,
    };
  },
};
