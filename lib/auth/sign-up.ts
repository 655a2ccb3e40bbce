// Sign-up: a new user and their first tenant, with the user as its owner.
import "server-only";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { uuidv7 } from "@/lib/ids";
import { ApiError, isUniqueViolation } from "@/lib/errors";
import { hashPassword, PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
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

export async function signUp(raw: SignUpInput) {
  const input = signUpSchema.parse(raw);
  const passwordHash = await hashPassword(input.password);
  const userId = uuidv7();
  // The user is created on its own first: createTenant would attach an existing
  // account with this email as owner, which a stranger must never be able to do.
  try {
    await getDb().user.create({ data: { id: userId, email: input.email, name: input.name ?? null, passwordHash } });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("conflict", "An account with this email already exists. Sign in instead.");
    throw err;
  }
  const { tenant } = await createTenant({
    name: input.tenantName,
    region: getEnv().SAIRAPH_REGION,
    owner: { email: input.email, userId },
    actor: { type: "user", id: userId, label: input.email },
  });
  return { userId, tenantId: tenant.id, email: input.email };
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
