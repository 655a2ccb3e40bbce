import "server-only";
import { getDb } from "@/lib/db";

/** Whether the user can sign in with a password (an OAuth-only account cannot, yet). */
export async function hasPassword(userId: string): Promise<boolean> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  return Boolean(user?.passwordHash);
}
