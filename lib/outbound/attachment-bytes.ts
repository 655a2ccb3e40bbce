// An attachment's content as the send, reply and draft schemas hand it on: its bytes,
// decoded once. A request body's base64 arrives in one of two ways:
//   - a small body is parsed on the event loop and the schema decodes each content string;
//   - a large body (over LARGE_BODY_BYTES) is parsed and decoded by an offload worker
//     (lib/offload/offload-worker.mjs), off the event loop; its decoded contents are
//     registered here under a token that stands in for the string until the schema's
//     transform takes them (lib/http/json-body.ts registers and forgets them around one
//     validation). A token is a NUL, a prefix and a random UUID: a client cannot send one
//     that resolves (a NUL is never base64, and the UUID is unguessable).
import { createHash, randomUUID } from "node:crypto";

const TOKEN_PREFIX = "\u0000sairaph-attachment:";
const registered = new Map<string, { bytes: Buffer; base64Length: number }>();

export class AttachmentBytes {
  private digest: string | null = null;

  constructor(
    readonly bytes: Buffer,
    /** Characters of the base64 it was sent as: the 25 MB send limit counts these. */
    readonly base64Length: number,
  ) {}

  /** Decodes a content string the schema has already checked to be standard base64. */
  static fromBase64(content: string): AttachmentBytes {
    const taken = registered.get(content);
    if (taken) {
      registered.delete(content);
      return new AttachmentBytes(taken.bytes, taken.base64Length);
    }
    return new AttachmentBytes(Buffer.from(content, "base64"), content.length);
  }

  /**
   * What the Idempotency-Key's request hash sees: a digest of the bytes, the same
   * whichever way the body was parsed (and no 25 MB string in the canonical JSON).
   */
  toJSON(): { sha256: string } {
    this.digest ??= createHash("sha256").update(this.bytes).digest("base64url");
    return { sha256: this.digest };
  }
}

/** Stands a decoded content in for its base64 string until the schema takes it; forget() after validation. */
export function registerDecodedContent(bytes: Buffer, base64Length: number): string {
  const token = `${TOKEN_PREFIX}${randomUUID()}`;
  registered.set(token, { bytes, base64Length });
  return token;
}

export function isDecodedContentToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && registered.has(value);
}

/** Drops tokens a validation did not take (it failed before reaching them). */
export function forgetDecodedContent(tokens: string[]): void {
  for (const token of tokens) registered.delete(token);
}
