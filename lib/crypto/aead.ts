// AES-256-GCM with a fresh 96-bit nonce and a version prefix. Throws on any
// failure: a missing key or a failed tag never yields null or plaintext.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export const CIPHER_VERSION = 1;
const NONCE = 12;
const TAG = 16;
const HEADER = 1 + 4; // version byte, key version (uint32 BE)

export class DecryptionError extends Error {
  constructor(message = "Ciphertext failed authentication") {
    super(message);
    this.name = "DecryptionError";
  }
}

function assertKey(key: Buffer | undefined): asserts key is Buffer {
  if (!key || key.length !== 32) throw new Error("AES-256-GCM needs a 32-byte key");
}

/** [version][keyVersion u32][nonce 12][tag 16][ciphertext] */
export function seal(key: Buffer, keyVersion: number, plaintext: Buffer, aad: string): Buffer {
  assertKey(key);
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = cipher.update(plaintext);
  const last = cipher.final();
  const header = Buffer.alloc(HEADER);
  header[0] = CIPHER_VERSION;
  header.writeUInt32BE(keyVersion, 1);
  // One copy of the ciphertext (attachments reach 25 MB), not two.
  return Buffer.concat([header, nonce, cipher.getAuthTag(), body, last]);
}

/** The key version a ciphertext was sealed under, read from its header. */
export function sealedKeyVersion(sealed: Buffer): number {
  if (sealed.length < HEADER + NONCE + TAG || sealed[0] !== CIPHER_VERSION) {
    throw new DecryptionError("Unknown ciphertext format");
  }
  return sealed.readUInt32BE(1);
}

export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  assertKey(key);
  sealedKeyVersion(sealed);
  const nonce = sealed.subarray(HEADER, HEADER + NONCE);
  const tag = sealed.subarray(HEADER + NONCE, HEADER + NONCE + TAG);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(HEADER + NONCE + TAG)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}
