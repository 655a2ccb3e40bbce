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
];

function toRegex(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+").replace(/\./g, "\\.")}/?$`);
}

const compiled = API_ROUTES.map((r) => ({ ...r, regex: toRegex(r.path) }));

/** Methods served at a concrete path; empty when no route matches the path. */
export function allowedMethods(pathname: string): string[] {
  return compiled.filter((r) => r.regex.test(pathname)).map((r) => r.method);
}
