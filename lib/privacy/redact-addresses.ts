// Provider and bounce texts often quote the recipient ("550 5.1.1 <ann@example.com>:
// user unknown"). Such texts are stored in plaintext columns (status reasons, job
// errors, delivery attempts), where SPEC §6 allows no participant address.
//
// A word (a run of characters that cannot delimit an address) is redacted whole when
// an "@" sits inside it. Matching the words with one simple character run and
// testing each for "@" is linear; the earlier `[^…]+@[^…]+` pattern rescanned every
// word from each of its characters (quadratic on a long word without "@").
const WORD_RE = /[^\s<>"'(),;:[\]]+/g;

export function redactAddresses(text: string): string {
  return text.replace(WORD_RE, (word) => {
    const at = word.indexOf("@", 1);
    return at > 0 && at < word.length - 1 ? "<address>" : word;
  });
}
