// Tokens of emailed links (address verification, invitations): 32 random bytes,
// base64url in the link; only their SHA-256 is stored, so a database dump opens nothing.
import "server-only";
import { createHash, randomBytes } from "node:crypto";

export function newLinkToken(): { raw: string; hash: string } {
  const raw = randomBytes(32).toString("base64url");
  return { raw, hash: digest(raw) };
}

/** Null for anything that cannot be one of our tokens (its length is checked before any pattern). */
export function hashLinkToken(raw: string): string | null {
  if (typeof raw !== "string" || raw.length !== 43 || !/^[A-Za-z0-9_-]{43}$/.test(raw)) return null;
  return digest(raw);
}

function digest(raw: string): string {
  return createHash("sha256").update(raw).digest("hex");
}
