// Email + password sign-in, throttled per address and per IP before any password work.
import "server-only";
import { getDb } from "@/lib/db";
import { hashPassword, needsRehash, verifyPassword } from "@/lib/auth/password";
import { recordSignIn } from "@/lib/auth/record-sign-in";
import { releaseSignInAttempt, reserveSignInAttempt } from "@/lib/auth/sign-in-throttle";

export type AuthenticationResult =
  | { outcome: "ok"; user: { id: string; email: string; name: string | null } }
  | { outcome: "invalid" }
  | { outcome: "throttled"; retryAfterSeconds: number };

let dummyHash: Promise<string> | undefined;

export async function authenticateWithPassword(input: {
  email: string;
  password: string;
  ip: string | null;
  /** The clock, for tests of the throttle's delays. */
  now?: number;
}): Promise<AuthenticationResult> {
  const email = input.email.trim().toLowerCase();
  if (!email || !input.password) return { outcome: "invalid" };
  const attempt = { email, ip: input.ip };
  const now = input.now ?? Date.now();
  const verdict = await reserveSignInAttempt(attempt, now);
  if (!verdict.allowed) return { outcome: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };

  const user = await getDb().user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  if (!user?.passwordHash) {
    // Spend the same time as a real check, so response times do not reveal which addresses exist.
    dummyHash ??= hashPassword("not a real password");
    await verifyPassword(input.password, await dummyHash);
    return { outcome: "invalid" };
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) return { outcome: "invalid" };

  await releaseSignInAttempt(attempt, now);
  // Hashes from before N = 2^17 are upgraded now, the one moment the password is known.
  if (needsRehash(user.passwordHash)) {
    const upgraded = await hashPassword(input.password);
    await getDb().user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: upgraded } });
  }
  await recordSignIn({ userId: user.id, ip: input.ip, method: "password" });
  return { outcome: "ok", user: { id: user.id, email: user.email, name: user.name } };
}
