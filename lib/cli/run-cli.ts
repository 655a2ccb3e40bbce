// The operator CLI (SPEC §10). It talks to the database directly, so it is only
// reachable on the server host, never by an agent.
import "server-only";
import { ApiError } from "@/lib/errors";
import type { Actor } from "@/lib/audit/record-event";
import { createTenant } from "@/lib/tenants/create-tenant";
import { addDomain, normalizeDomain } from "@/lib/domains/add-domain";
import { checkDomain, verificationRecord, VERIFY_PREFIX } from "@/lib/domains/verify-domain";
import { getDb } from "@/lib/db";
import { createMailbox } from "@/lib/mailboxes/create-mailbox";
import { rotateMasterKey } from "@/lib/mailboxes/rotate-master-key";
import { CliError, parseArgs, stringFlag, type ParsedArgs } from "@/lib/cli/parse-args";
import { cliKeyCommands } from "@/lib/cli/key-commands";
import { requireServedTenant } from "@/lib/cli/served-tenant";
import { readPassword, userCommands } from "@/lib/cli/user-commands";

const CLI_ACTOR: Actor = { type: "cli", label: "operator CLI" };

export const USAGE = `Usage: npm run cli -- <command> [--json]
  user create --email E [--name N] [--tenant-name T] [--password-stdin]   (prompts for the password without it)
  tenant create --name NAME [--region eu] [--owner-email E --owner-password P]
  domain add --tenant T --domain NAME
  domain verify --tenant T --domain NAME
  mailbox create --tenant T --local-part L [--domain D] [--client-ref R] [--display-name N]
  key create --tenant T --mailbox M --role read|read_write|management [--expires-in 30d] [--requests-per-minute N]
  key create --tenant T --management [--expires-in 30d] [--requests-per-minute N]
  key revoke --key K
  master-key rotate`;

type Output = { json: Record<string, unknown>; text: string };
type Command = (args: ParsedArgs) => Promise<Output>;

async function requireTenant(args: ParsedArgs): Promise<string> {
  return requireServedTenant(stringFlag(args, "tenant", true));
}

const baseCommands: Record<string, Command> = {
  "tenant create": async (args) => {
    const ownerEmail = stringFlag(args, "owner-email");
    const ownerPassword = stringFlag(args, "owner-password");
    if (ownerPassword && !ownerEmail) throw new CliError("--owner-password needs --owner-email");
    const { tenant, devDomain } = await createTenant({
      name: stringFlag(args, "name", true),
      region: stringFlag(args, "region"),
      owner: ownerEmail ? { email: ownerEmail, password: ownerPassword } : undefined,
      actor: CLI_ACTOR,
    });
    return {
      json: { tenantId: tenant.id },
      text: `Created tenant ${tenant.name} (${tenant.id}) in region ${tenant.region}; dev domain ${devDomain.name}`,
    };
  },
  "domain add": async (args) => {
    const tenantId = await requireTenant(args);
    const domain = await addDomain({ tenantId, domain: stringFlag(args, "domain", true), actor: CLI_ACTOR });
    const record = verificationRecord(domain);
    return {
      json: { domainId: domain.id, domain: domain.name, status: domain.status, verificationRecord: record },
      text:
        domain.status === "verified"
          ? `Added ${domain.name} (${domain.id}), status verified`
          : `Added ${domain.name} (${domain.id}), status pending. To verify it, publish this DNS record, then run: npm run cli -- domain verify --tenant ${tenantId} --domain ${domain.name}\n  ${record.type}  ${record.name}  "${record.value}"`,
    };
  },
  "domain verify": async (args) => {
    const tenantId = await requireTenant(args);
    const name = normalizeDomain(stringFlag(args, "domain", true));
    const domain = await getDb().domain.findFirst({ where: { tenantId, name }, select: { id: true } });
    if (!domain) throw new ApiError("not_found", `Domain ${name} not found`);
    const checked = await checkDomain({ tenantId, domainId: domain.id, actor: CLI_ACTOR });
    return {
      json: { domainId: checked.id, domain: checked.name, status: checked.status },
      text: `${checked.name}: ${checked.status}${checked.status === "verified" ? "" : ` (no TXT record ${VERIFY_PREFIX}.${checked.name} with this claim's token was found)`}`,
    };
  },
  "mailbox create": async (args) => {
    const tenantId = await requireTenant(args);
    const mailbox = await createMailbox({
      tenantId,
      localPart: stringFlag(args, "local-part", true),
      domain: stringFlag(args, "domain"),
      clientRef: stringFlag(args, "client-ref"),
      displayName: stringFlag(args, "display-name"),
      actor: CLI_ACTOR,
    });
    return { json: { mailboxId: mailbox.id, address: mailbox.address }, text: `Created ${mailbox.address} (${mailbox.id})` };
  },
  "master-key rotate": async () => {
    const result = await rotateMasterKey();
    const after =
      result.source === "file"
        ? `; ${result.keyFile} now holds the new key (back it up)`
        : "; once every app instance runs with the new SAIRAPH_MASTER_KEY, remove SAIRAPH_MASTER_KEY_PREVIOUS";
    return {
      json: { rewrapped: result.rewrapped },
      text: `Re-wrapped ${result.rewrapped} data key(s) under master key ${result.masterKeyId}${after}`,
    };
  },
  ...cliKeyCommands,
};

/** Runs one command; returns the process exit code. `readSecret` reads a password (tests pass their own). */
export async function runCli(
  argv: string[],
  out = console.log,
  err = console.error,
  readSecret: (fromStdin: boolean) => Promise<string> = readPassword,
): Promise<number> {
  const commands: Record<string, Command> = { ...baseCommands, ...userCommands(CLI_ACTOR, readSecret) };
  const args = parseArgs(argv);
  const json = args.flags.has("json");
  args.flags.delete("json");
  const name = args.words.slice(0, 2).join(" ");
  const command = commands[name];
  if (!command) {
    err(args.words.length ? `Unknown command "${args.words.join(" ")}"\n${USAGE}` : USAGE);
    return 1;
  }
  try {
    const result = await command(args);
    out(json ? JSON.stringify(result.json) : result.text);
    return 0;
  } catch (e) {
    if (e instanceof CliError || e instanceof ApiError) {
      err(`Error: ${e.message}`);
      return 1;
    }
    // One line, whatever the cause (a database error's message spans many).
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, " ").trim();
    err(`Error: ${message || "unexpected failure"}`);
    return 1;
  }
}

export type CliCommand = Command;
