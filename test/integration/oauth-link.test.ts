import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { findOAuthUserId, linkOAuthAccount } from "@/lib/auth/link-oauth-account";
import { setupTestDatabase } from "@/test/helpers/db";

setupTestDatabase();

const identity = (email: string, providerAccountId: string) => ({
  email,
  name: "Octo Cat",
  image: null,
  provider: "github",
  providerAccountId,
  type: "oauth",
});

describe("OAuth sign-in links by verified email", () => {
  it("links to the existing user with that email", async () => {
    const user = await getDb().user.create({ data: { id: uuidv7(), email: "octo@example.test", passwordHash: "x" } });
    expect(await linkOAuthAccount(identity("Octo@Example.test", "gh-1"))).toBe(user.id);
    expect(await findOAuthUserId("github", "gh-1")).toBe(user.id);
    // The same provider account keeps pointing at that user, even if its email changes later.
    expect(await linkOAuthAccount(identity("renamed@example.test", "gh-1"))).toBe(user.id);
    expect(await getDb().user.count({ where: { email: "renamed@example.test" } })).toBe(0);
  });

  it("creates a user (with no tenant yet) on a first sign-in", async () => {
    const userId = await linkOAuthAccount(identity("newcomer@example.test", "gh-2"));
    const user = await getDb().user.findUniqueOrThrow({ where: { id: userId }, include: { memberships: true } });
    expect(user).toMatchObject({ email: "newcomer@example.test", passwordHash: null });
    expect(user.memberships).toHaveLength(0);
  });
});
