// Where a customer webhook may point (SPEC §12, SSRF). In production (DATABASE_URL
// set) an endpoint must be https and every address its host resolves to must be
// public: no private, loopback, link-local, shared, multicast or reserved range.
// Checked at creation and again at every delivery, and the connection goes to the
// address that was checked (a DNS answer that changes in between cannot redirect it).
import "server-only";
import dns from "node:dns";
import net from "node:net";
import { getEnv } from "@/lib/env";

export const MAX_URL_LENGTH = 2048;

const blocked = new net.BlockList();
for (const [range, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16],
  ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(range, bits, "ipv4");
}
for (const [range, bits] of [
  ["::", 128], ["::1", 128], ["64:ff9b::", 96], ["64:ff9b:1::", 48], ["100::", 64], ["2001::", 23],
  ["2001:db8::", 32], ["2002::", 16], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
] as const) {
  blocked.addSubnet(range, bits, "ipv6");
}

/** True for any address a production webhook must not reach. */
export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:10.0.0.1) and IPv4-compatible forms: judge the IPv4 address inside.
  const mapped = /^::(ffff:)?(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(lower);
  if (mapped) return blocked.check(mapped[2], "ipv4");
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1], 16);
    const lo = parseInt(hexMapped[2], 16);
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, "ipv4");
  }
  return blocked.check(address, "ipv6");
}

let policyOverride: boolean | undefined;

/** Tests switch between the production and the development policy. */
export function overridePrivateTargets(allow: boolean | undefined): void {
  policyOverride = allow;
}

/** Development (embedded database) allows http and local targets; production refuses them unless configured. */
export function privateTargetsAllowed(): boolean {
  if (policyOverride !== undefined) return policyOverride;
  const env = getEnv();
  if (env.SAIRAPH_WEBHOOKS_ALLOW_PRIVATE) return env.SAIRAPH_WEBHOOKS_ALLOW_PRIVATE === "on";
  return env.embedded;
}

export class TargetRefused extends Error {}

/** Checks the URL's form: absolute http(s), no credentials, https unless local targets are allowed. */
export function checkTargetUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw new TargetRefused(`The URL is longer than ${MAX_URL_LENGTH} characters`);
  if (!URL.canParse(raw)) throw new TargetRefused("The URL is not an absolute URL");
  const url = new URL(raw);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TargetRefused("The URL must be http(s)");
  if (url.username || url.password) throw new TargetRefused("The URL must not carry credentials");
  if (url.protocol !== "https:" && !privateTargetsAllowed()) throw new TargetRefused("The URL must be https");
  if (url.hash) throw new TargetRefused("The URL must not have a #fragment");
  return url;
}

function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/** Resolves the host and checks EVERY address; returns the addresses allowed to connect to. */
export async function resolveTarget(url: URL): Promise<{ address: string; family: number }[]> {
  const host = hostOf(url);
  const literal = net.isIP(host);
  const addresses = literal
    ? [{ address: host, family: literal }]
    : await dns.promises.lookup(host, { all: true, verbatim: true }).catch(() => {
        throw new TargetRefused(`The host ${host} does not resolve`);
      });
  if (addresses.length === 0) throw new TargetRefused(`The host ${host} does not resolve`);
  if (!privateTargetsAllowed()) {
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) throw new TargetRefused(`The host resolves to a private, loopback or link-local address (${bad.address})`);
  }
  return addresses;
}
