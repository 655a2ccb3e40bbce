// Suppressed addresses are stored as a blind HMAC (for matching) and ciphertext (for
// listing), both under the mailbox's own keys: a list never leaks across mailboxes.
import "server-only";
import type { MailboxCipher } from "@/lib/crypto/mailbox-cipher";
import { normalizeAddress } from "@/lib/outbound/addresses";

export function suppressionHash(cipher: MailboxCipher, address: string): string {
  return cipher.blindToken(`suppression:${normalizeAddress(address)}`);
}
