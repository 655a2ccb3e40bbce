import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { uuidv7 } from "@/lib/ids";
import { findOAuthUserId, linkOAuthAccount } from "@/lib/auth/link-oauth-account";
import { verifiedOAuthEmail, type GitHubEmail } from "@/lib/auth/oauth-email";
import { authenticateWithPassword } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
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
    const user = await getDb().user.create({ data: { id: uuidv7(), email: "octo@example.test", passwordHash: "x", emailVerified: new Date() } });
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

// A stand-in for GitHub's REST API: GET /user/emails answers what each token's user has.
const githubEmails = new Map<string, GitHubEmail[]>();
let github: Server;
let githubUrl: string;

beforeAll(async () => {
  github = createServer((req, res) => {
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    const emails = githubEmails.get(token);
    res.writeHead(req.url === "/user/emails" && emails ? 200 : 401, { "content-type": "application/json" });
    res.end(JSON.stringify(emails ?? { message: "Bad credentials" }));
  });
  await new Promise<void>((resolve) => github.listen(0, "127.0.0.1", resolve));
  githubUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => github.close(() => resolve())));

describe("which OAuth address may be linked", () => {
  const github = (token: string) => verifiedOAuthEmail({ provider: "github", accessToken: token, profile: { email: "victim@example.test" }, githubApiUrl: githubUrl });

  it("GitHub: only a primary email GitHub marks verified", async () => {
    githubEmails.set("unverified", [{ email: "victim@example.test", primary: true, verified: false }]);
    githubEmails.set("secondary-only", [
      { email: "someone@example.test", primary: true, verified: false },
      { email: "victim@example.test", primary: false, verified: true },
    ]);
    githubEmails.set("verified", [{ email: "Owner@Example.test", primary: true, verified: true }]);
    expect(await github("unverified")).toBeNull();
    expect(await github("secondary-only")).toBeNull();
    expect(await github("revoked-token")).toBeNull();
    expect(await github("verified")).toBe("owner@example.test");
  });

  it("Google: only with email_verified true", async () => {
    expect(await verifiedOAuthEmail({ provider: "google", accessToken: "t", profile: { email: "a@example.test", email_verified: false } })).toBeNull();
    expect(await verifiedOAuthEmail({ provider: "google", accessToken: "t", profile: { email: "a@example.test" } })).toBeNull();
    expect(await verifiedOAuthEmail({ provider: "google", accessToken: "t", profile: { email: "a@example.test", email_verified: true } })).toBe("a@example.test");
  });

  it("an unverified GitHub address never reaches the existing account of that address", async () => {
    const victim = await getDb().user.create({
      data: { id: uuidv7(), email: "victim@example.test", passwordHash: await hashPassword("the victim's password"), emailVerified: new Date() },
    });
    githubEmails.set("attacker", [{ email: "victim@example.test", primary: true, verified: false }]);
    // The sign-in callback links only what verifiedOAuthEmail returns: here nothing.
    expect(await github("attacker")).toBeNull();
    expect(await getDb().account.count({ where: { userId: victim.id } })).toBe(0);
  });

  it("a provider-verified address takes over an unverified account: its password goes, its sessions end", async () => {
    const squatter = await getDb().user.create({
      data: { id: uuidv7(), email: "taken@example.test", passwordHash: await hashPassword("the squatter's password") },
    });
    expect(await linkOAuthAccount(identity("taken@example.test", "gh-owner"))).toBe(squatter.id);
    const after = await getDb().user.findUniqueOrThrow({ where: { id: squatter.id } });
    expect(after.emailVerified).not.toBeNull();
    expect(after.sessionVersion).toBe(squatter.sessionVersion + 1);
    expect((await authenticateWithPassword({ email: "taken@example.test", password: "the squatter's password", ip: null })).outcome).toBe("invalid");
  });
});
