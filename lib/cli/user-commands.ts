// `user create`: the operator's first account (or any account they vouch for) is
// created verified, with its own tenant like a sign-up, so a fresh deployment can be
// entered without any mail being delivered.
import "server-only";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { uuidv7 } from "@/lib/ids";
import { ApiError, isUniqueViolation } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/password";
import { newPasswordSchema } from "@/lib/auth/change-password";
import { createTenant } from "@/lib/tenants/create-tenant";
import { CliError, stringFlag, type ParsedArgs } from "@/lib/cli/parse-args";
import type { Actor } from "@/lib/audit/record-event";

/** Reads the password: all of stdin with --password-stdin, else a prompt that does not echo. */
export async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > 4096) throw new CliError("The password on stdin is too long");
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
  }
  if (!process.stdin.isTTY) throw new CliError("Pass the password with --password-stdin (no terminal to prompt on)");
  process.stderr.write("Password: ");
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  const password = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stderr.write("\n");
  return password;
}

export async function createVerifiedUser(input: { email: string; password: string; name?: string; tenantName?: string; actor: Actor }) {
  const email = z.email("--email must be an email address").max(254).parse(input.email.trim().toLowerCase());
  const password = newPasswordSchema.parse(input.password);
  const passwordHash = await hashPassword(password);
  const userId = uuidv7();
  try {
    await getDb().user.create({ data: { id: userId, email, name: input.name ?? null, passwordHash, emailVerified: new Date() } });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", `An account with ${email} already exists`);
    throw err;
  }
  const { tenant } = await createTenant({
    name: input.tenantName ?? email.split("@")[1],
    region: getEnv().SAIRAPH_REGION,
    owner: { email, userId },
    actor: input.actor,
  });
  return { userId, email, tenantId: tenant.id, tenantName: tenant.name };
}

export function userCommands(actor: Actor, readSecret: (fromStdin: boolean) => Promise<string>) {
  return {
    "user create": async (args: ParsedArgs) => {
      const email = stringFlag(args, "email", true);
      const fromStdin = args.flags.get("password-stdin") === true;
      const password = await readSecret(fromStdin);
      let created;
      try {
        created = await createVerifiedUser({ email, password, name: stringFlag(args, "name"), tenantName: stringFlag(args, "tenant-name"), actor });
      } catch (err) {
        if (err instanceof z.ZodError) throw new CliError(err.issues[0].message);
        throw err;
      }
      return {
        json: { userId: created.userId, tenantId: created.tenantId },
        text: `Created verified user ${created.email} (${created.userId}), owner of tenant ${created.tenantName} (${created.tenantId}). Sign in at ${getEnv().SAIRAPH_PUBLIC_URL}/sign-in`,
      };
    },
  };
}
