// OAuth sign-in links the provider account to the User row with the same email (the
// caller passes only a provider-verified one, lib/auth/oauth-email.ts), creating the user on first sign-in. With JWT sessions there is no adapter,
// so the Account row is written here.
import "server-only";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { isUniqueViolation } from "@/lib/errors";
import { bumpSessionVersion } from "@/lib/auth/session-version";

export type OAuthIdentity = {
  email: string;
  name: string | null;
  image: string | null;
  provider: string;
  providerAccountId: string;
  type: string;
};

export async function linkOAuthAccount(identity: OAuthIdentity): Promise<string> {
  const db = getDb();
  const existing = await findOAuthUserId(identity.provider, identity.providerAccountId);
  if (existing) return existing;
  const email = identity.email.trim().toLowerCase();
  let user = await db.user.findUnique({ where: { email }, select: { id: true, emailVerified: true } });
  if (user && !user.emailVerified) {
    // The provider proves the address; the account's holder never did. The prover takes
    // it over: the unproven password goes and every session of the old holder ends.
    const existing = user;
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: existing.id }, data: { emailVerified: new Date(), passwordHash: null } });
      await bumpSessionVersion(tx, existing.id);
    });
  }
  if (!user) {
    try {
      user = await db.user.create({
        data: { id: uuidv7(), email, name: identity.name, image: identity.image, emailVerified: new Date() },
        select: { id: true, emailVerified: true },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true, emailVerified: true } });
    }
  }
  await db.account.upsert({
    where: { provider_providerAccountId: { provider: identity.provider, providerAccountId: identity.providerAccountId } },
    create: { userId: user.id, type: identity.type, provider: identity.provider, providerAccountId: identity.providerAccountId },
    update: {},
  });
  return user.id;
}

export async function findOAuthUserId(provider: string, providerAccountId: string): Promise<string | null> {
  const account = await getDb().account.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    select: { userId: true },
  });
  return account?.userId ?? null;
}
