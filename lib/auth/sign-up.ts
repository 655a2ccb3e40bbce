// Sign-up: a new, unverified user and their first tenant (owned by them), and a
// verification link mailed to the address. The answer never says whether the address
// already had an account: then nothing is created and the owner gets a notice instead.
// The first account on an embedded database (the operator on their own machine) is
// created verified and may sign in at once.
import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { uuidv7 } from "@/lib/ids";
import { isUniqueViolation } from "@/lib/errors";
import { hashPassword, PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { sendVerificationEmail } from "@/lib/auth/email-verification";
import { sendSystemEmail } from "@/lib/system-mail/send-system-email";
import { createTenant } from "@/lib/tenants/create-tenant";

export const signUpSchema = z.object({
  name: z.string().trim().max(100).optional().transform((v) => v || undefined),
  email: z.email("Enter a valid email address").max(254).transform((v) => v.trim().toLowerCase()),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(200, "Use at most 200 characters"),
  tenantName: z.string().trim().min(1, "Name your organisation").max(100),
});

export type SignUpInput = z.input<typeof signUpSchema>;

/** `signInNow`: the account is verified already (first account on an embedded database). */
export type SignUpResult = { email: string; signInNow: boolean };

export async function signUp(raw: SignUpInput): Promise<SignUpResult> {
  const input = signUpSchema.parse(raw);
  // Hashed on both paths, so the time taken does not tell an existing address apart.
  const passwordHash = await hashPassword(input.password);
  const db = getDb();
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) {
    await sendExistingAccountNotice(input.email);
    return { email: input.email, signInNow: false };
  }
  const operatorFirst = getEnv().embedded && (await db.user.count()) === 0;
  const userId = uuidv7();
  // The user is created on its own first: createTenant would attach an existing
  // account with this email as owner, which a stranger must never be able to do.
  try {
    await db.user.create({
      data: { id: userId, email: input.email, name: input.name ?? null, passwordHash, emailVerified: operatorFirst ? new Date() : null },
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Created by a parallel request a moment ago: the same answer as any existing address.
    await sendExistingAccountNotice(input.email);
    return { email: input.email, signInNow: false };
  }
  const { tenant } = await createTenant({
    name: input.tenantName,
    region: getEnv().SAIRAPH_REGION,
    owner: { email: input.email, userId },
    actor: { type: "user", id: userId, label: input.email },
  });
  if (!operatorFirst) await sendVerificationEmail({ userId, email: input.email, tenantId: tenant.id });
  return { email: input.email, signInNow: operatorFirst };
}

async function sendExistingAccountNotice(email: string): Promise<void> {
  await sendSystemEmail({
    tenantId: null,
    to: email,
    subject: "Someone tried to create a Sairaph Mail account with your address",
    text:
      `Someone (perhaps you) tried to create a new account for ${email}, which already has one. Nothing was changed.\n\n` +
      `To use your account, sign in at ${getEnv().SAIRAPH_PUBLIC_URL}/sign-in. If this was not you, you can ignore this message.`,
  });
}

/** A signed-in user creates another tenant (or their first, after OAuth sign-in). */
export async function createOwnTenant(input: { userId: string; email: string; name: string; ip?: string | null }) {
  const { tenant } = await createTenant({
    name: input.name,
    region: getEnv().SAIRAPH_REGION,
    owner: { email: input.email, userId: input.userId },
    actor: { type: "user", id: input.userId, label: input.email, ip: input.ip ?? null },
  });
  return tenant;
}
