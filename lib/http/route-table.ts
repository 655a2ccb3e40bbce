// Every /api/v1 route with the role it needs. Route files answer 405 for the rest; the
// authorization matrix test is generated from it, and the OpenAPI document covers it.
export type RouteRole = "any" | "read" | "read_write" | "management" | "tenant" | "none";

export type RouteSpec = {
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT";
  path: string;
  role: RouteRole;
  summary: string;
  /** Mailbox-scoped routes carry {mailboxId}; tenant-wide ones do not. */
};

export const API_ROUTES: RouteSpec[] = [
  { method: "GET", path: "/api/v1/whoami", role: "any", summary: "The calling key, its tenant and mailbox" },
  { method: "GET", path: "/api/v1/mailboxes", role: "tenant", summary: "List mailboxes" },
  { method: "POST", path: "/api/v1/mailboxes", role: "tenant", summary: "Create a mailbox" },
  { method: "GET", path: "/api/v1/mailboxes/{mailboxId}", role: "read", summary: "Get a mailbox" },
  { method: "PATCH", path: "/api/v1/mailboxes/{mailboxId}", role: "management", summary: "Update a mailbox" },
  { method: "DELETE", path: "/api/v1/mailboxes/{mailboxId}", role: "tenant", summary: "Delete a mailbox (crypto-shred, then purge)" },
  { method: "POST", path: "/api/v1/mailboxes/{mailboxId}/messages", role: "read_write", summary: "Send a message (honours Idempotency-Key)" },
  { method: "POST", path: "/api/v1/mailboxes/{mailboxId}/messages/{messageId}/reply", role: "read_write", summary: "Reply to a message (honours Idempotency-Key)" },
  { method: "GET", path: "/api/v1/mailboxes/{mailboxId}/suppressions", role: "read", summary: "List the mailbox's suppressed addresses" },
  { method: "POST", path: "/api/v1/mailboxes/{mailboxId}/suppressions", role: "management", summary: "Suppress an address for this mailbox" },
  { method: "DELETE", path: "/api/v1/mailboxes/{mailboxId}/suppressions/{address}", role: "management", summary: "Remove an address from the mailbox's suppression list" },
];

function toRegex(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+").replace(/\./g, "\\.")}/?$`);
}

const compiled = API_ROUTES.map((r) => ({ ...r, regex: toRegex(r.path) }));

/** Methods served at a concrete path; empty when no route matches the path. */
export function allowedMethods(pathname: string): string[] {
  return compiled.filter((r) => r.regex.test(pathname)).map((r) => r.method);
}
