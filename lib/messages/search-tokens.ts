// The blind search index (SPEC §6): HMAC tokens of lowercased words of subject,
// participants and text, keyed per mailbox. No plaintext word is stored.
import type { MessageContent } from "@/lib/messages/message-content";
import { plainText } from "@/lib/messages/message-content";

/** Caps the text words indexed per message; subject and participants are always indexed. */
export const MAX_TEXT_WORDS = 2000;
const MAX_WORD_LENGTH = 64;
const TOKEN_LENGTH = 16; // 96 bits of HMAC: collisions are negligible within one mailbox's vocabulary

type Tokenizer = { blindToken(value: string): string };

/** Lowercased runs of letters and digits, the same split for indexing and for queries. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().normalize("NFKC").matchAll(/[\p{L}\p{N}]+/gu)) {
    if (match[0].length <= MAX_WORD_LENGTH) out.push(match[0]);
  }
  return out;
}

export function searchToken(cipher: Tokenizer, word: string): string {
  return cipher.blindToken(`search:${word}`).slice(0, TOKEN_LENGTH);
}

/** The distinct words a message is findable by, before blinding. */
export function indexedWords(content: MessageContent): string[] {
  const set = new Set<string>();
  for (const w of words(content.subject)) set.add(w);
  for (const p of [content.from, ...content.to, ...content.cc, ...content.bcc, ...content.replyTo]) {
    const address = p.address.trim().toLowerCase();
    if (address.length <= MAX_WORD_LENGTH * 4) set.add(address);
    const at = address.lastIndexOf("@");
    if (at > 0) {
      set.add(address.slice(0, at));
      set.add(address.slice(at + 1));
    }
    for (const w of words(address)) set.add(w);
    for (const w of words(p.name ?? "")) set.add(w);
  }
  let textWords = 0;
  for (const w of words(plainText(content))) {
    if (set.has(w)) continue;
    if (textWords >= MAX_TEXT_WORDS) break;
    set.add(w);
    textWords += 1;
  }
  return [...set];
}

export function messageSearchTokens(cipher: Tokenizer, content: MessageContent): string[] {
  return indexedWords(content).map((w) => searchToken(cipher, w));
}

/** Tokens every one of which a message must carry to match `q` (all words must match). */
export function queryTokens(cipher: Tokenizer, q: string): string[] {
  const terms = new Set<string>();
  for (const term of q.trim().toLowerCase().split(/\s+/).filter(Boolean)) {
    // A whole address is indexed as one token too, but its words match as well,
    // so searching by word pieces is enough and never misses.
    for (const w of words(term)) terms.add(w);
  }
  return [...terms].map((w) => searchToken(cipher, w));
}
