// Sign-up proves the address: a single-use link, valid for a day, is mailed to it.
// The token is stored hashed in VerificationToken under "verify-email:<userId>".
import "server-only";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { hashLinkToken, newLinkToken } from "@/lib/auth/link-tokens";
import { sendSystemEmail } from "@/lib/system-mail/send-system-email";

export const VERIFICATION_TTL_MS = 24 * 60 * 60_000;
const PREFIX = "verify-email:";

/** Issues a new link (earlier ones of the user stop working) and mails it to the user. */
export async function sendVerificationEmail(input: { userId: string; email: string; tenantId: string | null; now?: number }) {
  const now = input.now ?? Date.now();
  const { raw, hash } = newLinkToken();
  const identifier = `${PREFIX}${input.userId}`;
  await getDb().$transaction([
    getDb().verificationToken.deleteMany({ where: { identifier } }),
    getDb().verificationToken.create({ data: { identifier, token: hash, expires: new Date(now + VERIFICATION_TTL_MS) } }),
  ]);
  const link = `${getEnv().SAIRAPH_PUBLIC_URL}/verify-email?token=${raw}`;
  await sendSystemEmail({
    tenantId: input.tenantId,
    to: input.email,
    subject: "Verify your email address for Sairaph Mail",
    text: `Open this link to verify ${input.email} (it works once, for 24 hours):\n\n${link}\n\nIf you did not create an account, ignore this message.`,
  });
}

/** Marks the address of the link's user verified; null when the link is unknown, used or expired. */
export async function verifyEmail(rawToken: string, now = Date.now()): Promise<{ email: string } | null> {
  const hash = hashLinkToken(rawToken);
  if (!hash) return null;
  return getDb().$transaction(async (tx) => {
    const row = await tx.verificationToken.findFirst({ where: { token: hash, identifier: { startsWith: PREFIX } } });
    if (!row) return null;
    // Single use: whoever deletes the row verifies; a second click finds nothing.
    const { count } = await tx.verificationToken.deleteMany({ where: { identifier: row.identifier, token: hash } });
    if (count !== 1 || row.expires.getTime() <= now) return null;
    const userId = row.identifier.slice(PREFIX.length);
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
    if (!user) return null;
    if (!user.emailVerified) await tx.user.update({ where: { id: userId }, data: { emailVerified: new Date(now) } });
    return { email: user.email };
  });
}
