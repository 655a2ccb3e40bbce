// API key format (SPEC §2): prefix, 32 base62 characters of CSPRNG output, then 6
// base62 characters encoding the CRC32 of those 32. Pure: shared by server and tests.
import { createHash, randomInt } from "node:crypto";
import { crc32 } from "node:zlib";

export const MAILBOX_KEY_PREFIX = "sm_live_";
export const TENANT_KEY_PREFIX = "sm_mgmt_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
export const KEY_LENGTH = MAILBOX_KEY_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;

export type KeyKindName = "mailbox" | "tenant";

export function encodeBase62(value: number, width: number): string {
  let out = "";
  let n = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function checksum(random: string): string {
  return encodeBase62(crc32(random), CHECKSUM_LENGTH);
}

function randomBase62(length: number): string {
  let out = "";
  // randomInt draws without modulo bias.
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(62)];
  return out;
}

export function generateKeySecret(kind: KeyKindName): string {
  const random = randomBase62(RANDOM_LENGTH);
  return `${kind === "mailbox" ? MAILBOX_KEY_PREFIX : TENANT_KEY_PREFIX}${random}${checksum(random)}`;
}

export type ParsedKey = { kind: KeyKindName; random: string };

const KEY_RE = /^(sm_live_|sm_mgmt_)([0-9A-Za-z]{32})([0-9A-Za-z]{6})$/;

/** Checks shape and checksum without touching the database; null when the key is not well-formed. */
export function parseKeySecret(secret: string): ParsedKey | null {
  const match = KEY_RE.exec(secret);
  if (!match) return null;
  const [, prefix, random, sum] = match;
  if (checksum(random) !== sum) return null;
  return { kind: prefix === MAILBOX_KEY_PREFIX ? "mailbox" : "tenant", random };
}

export function hashKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** What may be shown of a key after issuance: a display prefix and the last four characters. */
export function displayParts(secret: string): { prefix: string; last4: string } {
  return { prefix: secret.slice(0, MAILBOX_KEY_PREFIX.length + 4), last4: secret.slice(-4) };
}
