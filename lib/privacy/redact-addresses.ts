// Provider and bounce texts often quote the recipient ("550 5.1.1 <ann@example.com>:
// user unknown"). Such texts are stored in plaintext columns (status reasons, job
// errors, delivery attempts), where SPEC §6 allows no participant address.
const ADDRESS_RE = /[^\s<>"'(),;:[\]]+@[^\s<>"'(),;:[\]]+/g;

export function redactAddresses(text: string): string {
  return text.replace(ADDRESS_RE, "<address>");
}
