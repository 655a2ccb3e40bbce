// Mail the platform sends to people, not mailboxes: verification links, invitations,
// notices. It goes through the configured provider (MAIL_PROVIDER). With `local`
// nothing leaves the machine: the message is kept for the tenant's dev outbox and its
// text (with any link) is written to the server log, so a developer can follow it.
// With `resend` only the envelope is recorded: a link is a credential.
import "server-only";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { uuidv7 } from "@/lib/ids";
import { getLogger } from "@/lib/observability/logger";
import { resendClient } from "@/lib/outbound/resend-client";

export type SystemEmail = {
  /** The tenant whose dev outbox shows it (local provider), or null for none. */
  tenantId: string | null;
  to: string;
  subject: string;
  text: string;
};

/** The From of system mail: SAIRAPH_SYSTEM_FROM, else no-reply at the public host. */
export function systemFromAddress(): string {
  const env = getEnv();
  return env.SAIRAPH_SYSTEM_FROM ?? `Sairaph Mail <no-reply@${new URL(env.SAIRAPH_PUBLIC_URL).hostname}>`;
}

/** Sends (or, with the local provider, records) one system email. Never throws on a provider failure. */
export async function sendSystemEmail(email: SystemEmail): Promise<{ status: "recorded" | "sent" | "failed" }> {
  const provider = getEnv().MAIL_PROVIDER;
  const id = uuidv7();
  if (provider === "local") {
    await getDb().systemEmail.create({
      data: { id, tenantId: email.tenantId, to: email.to, subject: email.subject, text: email.text, provider, status: "recorded" },
    });
    // The one log line that carries mail text: development only, where no mail leaves.
    getLogger().info({ systemEmailId: id }, `local provider, system mail not delivered: ${email.subject}\n${email.text}`);
    return { status: "recorded" };
  }
  let status: "sent" | "failed" = "sent";
  let error: string | null = null;
  try {
    const result = await resendClient().emails.send({ from: systemFromAddress(), to: email.to, subject: email.subject, text: email.text });
    if (result.error) {
      status = "failed";
      error = result.error.message.slice(0, 500);
    }
  } catch (err) {
    status = "failed";
    error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
  }
  await getDb().systemEmail.create({ data: { id, tenantId: email.tenantId, to: email.to, subject: email.subject, provider, status, error } });
  if (status === "failed") getLogger().warn({ systemEmailId: id }, "system mail could not be sent");
  return { status };
}

/** The dev outbox's system mail of a tenant (local provider only: Resend rows carry no text). */
export async function listSystemEmails(tenantId: string, limit = 50) {
  return getDb().systemEmail.findMany({
    where: { tenantId, provider: "local" },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, to: true, subject: true, text: true, createdAt: true },
  });
}
