// Which address an OAuth sign-in proves. Linking to (or creating) an account by email
// is safe only when the provider says the address is verified: GitHub's primary email
// must carry `verified: true` (read from /user/emails with the sign-in's token, since
// the profile does not say), Google's profile must say `email_verified: true`.
import "server-only";

export type GitHubEmail = { email: string; primary: boolean; verified: boolean };

export const GITHUB_API_URL = "https://api.github.com";

/** The verified primary address of a GitHub user, or null (unverified, missing, or the call failed). */
export async function githubVerifiedPrimaryEmail(accessToken: string, apiUrl = GITHUB_API_URL): Promise<string | null> {
  let emails: unknown;
  try {
    const response = await fetch(`${apiUrl}/user/emails`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "user-agent": "sairaph-mail" },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return null;
    emails = await response.json();
  } catch {
    return null;
  }
  if (!Array.isArray(emails)) return null;
  const primary = (emails as Partial<GitHubEmail>[]).find((e) => e && e.primary === true);
  if (!primary || primary.verified !== true || typeof primary.email !== "string" || primary.email.length > 254) return null;
  return primary.email.trim().toLowerCase();
}

/** The address an OAuth sign-in may be linked by, or null to refuse the sign-in. */
export async function verifiedOAuthEmail(input: {
  provider: string;
  accessToken: string | undefined;
  profile: { email?: string | null; email_verified?: unknown } | undefined;
  githubApiUrl?: string;
}): Promise<string | null> {
  if (input.provider === "github") {
    return input.accessToken ? githubVerifiedPrimaryEmail(input.accessToken, input.githubApiUrl) : null;
  }
  if (input.provider === "google") {
    const email = input.profile?.email;
    if (input.profile?.email_verified !== true || typeof email !== "string" || email.length > 254) return null;
    return email.trim().toLowerCase();
  }
  return null;
}
