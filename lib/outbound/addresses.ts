// Email addresses as the API accepts them: "a@b.example" or "Name <a@b.example>".
// Header injection is refused, never repaired: CR, LF or NUL anywhere is invalid.
export type ParsedAddress = { address: string; name: string | null };

/** CR, LF or NUL: the characters that would let a value start a new header line. */
export const HEADER_BREAK_RE = /[\r\n\0]/;

// dot-atom local part (RFC 5322 atext) and a hostname with at least one dot, or a
// single-label test host such as "localhost". No quoted local parts, no IP literals.
const LOCAL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isValidAddress(address: string): boolean {
  if (address.length > 254 || HEADER_BREAK_RE.test(address)) return false;
  const at = address.lastIndexOf("@");
  if (at < 1 || at === address.length - 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  return local.length <= 64 && LOCAL_RE.test(local) && DOMAIN_RE.test(domain) && domain.includes(".");
}

/** Longest input worth parsing: a 254-character address plus a 200-character name and punctuation. */
export const MAX_ADDRESS_INPUT = 500;

/**
 * Parses one address with an optional display name; null when it is not a valid
 * address. The length is checked first and the split is done with indexOf, so a
 * hostile value (400 spaces, a run of "<") costs linear time.
 */
export function parseAddress(input: string): ParsedAddress | null {
  if (input.length > MAX_ADDRESS_INPUT || HEADER_BREAK_RE.test(input)) return null;
  const value = input.trim();
  if (value.endsWith(">")) {
    const open = value.lastIndexOf("<");
    if (open < 0) return null;
    const address = value.slice(open + 1, -1).trim();
    let name = value.slice(0, open).trim();
    if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, "$1");
    if (address === "" || address.includes(">") || !isValidAddress(address)) return null;
    if (name.length > 200 || /[<>\u2028\u2029]/.test(name)) return null;
    return { address, name: name === "" ? null : name };
  }
  return isValidAddress(value) ? { address: value, name: null } : null;
}

/** Lowercased address used for matching (suppression, mailbox routing). */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** "Name" <a@b> for provider payloads; quotes and backslashes in the name are escaped. */
export function formatAddress(p: { address: string; name?: string | null }): string {
  if (!p.name) return p.address;
  return `"${p.name.replace(/(["\\])/g, "\\$1")}" <${p.address}>`;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}
