// Every /api/v1 route × every kind of caller, against the expected outcome derived
// from the route's role (SPEC §2). Routes come from API_ROUTES, and every route file
// must appear there, so a new route without a row fails this test.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { revokeKey } from "@/lib/keys/issue-key";
import { API_ROUTES, type RouteRole, type RouteSpec } from "@/lib/http/route-table";
import { setupTestDatabase } from "@/test/helpers/db";
import { call } from "@/test/helpers/api";
import { createTestKey, createTestMailbox, createTestWorld, TEST_ACTOR } from "@/test/helpers/factories";
import { matrixResources } from "@/test/helpers/matrix-resources";

setupTestDatabase();

type Caller =
  | "none" | "malformed" | "bad_checksum" | "expired" | "revoked"
  | "read" | "read_write" | "management" | "sm_mgmt" | "other_tenant" | "other_mailbox";

const CALLERS: Caller[] = ["none", "malformed", "bad_checksum", "expired", "revoked", "read", "read_write", "management", "sm_mgmt", "other_tenant", "other_mailbox"];

type Expected = { status: number; code?: string } | "allowed";

const RANK: Record<string, number> = { read: 1, read_write: 2, management: 3 };

/** The expected-status table: one row per caller, columns derived from the route's role. */
export function expected(route: RouteSpec, caller: Caller): Expected {
  const role: RouteRole = route.role;
  const mailboxScoped = route.path.includes("{mailboxId}");
  if (role === "none") return "allowed";
  switch (caller) {
    case "none":
    case "malformed":
    case "bad_checksum":
      return { status: 401, code: "unauthorized" };
    case "expired":
      return { status: 401, code: "key_expired" };
    case "revoked":
      return { status: 401, code: "key_revoked" };
    case "sm_mgmt":
      return "allowed";
    case "other_tenant":
      // A management key of another tenant: the mailbox does not exist for it.
      return mailboxScoped ? { status: 404, code: "not_found" } : "allowed";
    case "other_mailbox":
      if (mailboxScoped) return { status: 404, code: "not_found" };
      return role === "tenant" ? { status: 403, code: "forbidden" } : "allowed";
    default:
      if (role === "any") return "allowed";
      if (role === "tenant") return { status: 403, code: "forbidden" };
      return RANK[caller] >= RANK[role] ? "allowed" : { status: 403, code: "forbidden" };
  }
}

function routeFile(routePath: string): string {
  const rel = routePath.replace(/^\/api\/v1/, "app/api/v1").replace(/\{([^}]+)\}/g, "[$1]");
  return path.join(rel, "route.ts");
}

async function handlerFor(route: RouteSpec) {
  const mod = (await import(/* @vite-ignore */ path.resolve(routeFile(route.path)))) as Record<string, unknown>;
  const handler = mod[route.method];
  if (typeof handler !== "function") throw new Error(`${route.method} ${route.path}: ${routeFile(route.path)} does not export ${route.method}`);
  return handler as Parameters<typeof call>[0];
}

async function makeCallers() {
  const world = await createTestWorld();
  const other = await createTestWorld();
  const secondBox = await createTestMailbox(world.tenant.id);
  const otherMailboxKey = await createTestKey(world.tenant.id, { mailboxId: secondBox.id, role: "management" });
  const expiring = await createTestKey(world.tenant.id, { mailboxId: world.mailbox.id, role: "management", expiresAt: new Date(Date.now() + 60_000) });
  await getDb().apiKey.update({ where: { id: expiring.key.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
  const revoked = await createTestKey(world.tenant.id, { mailboxId: world.mailbox.id, role: "management" });
  await revokeKey({ keyId: revoked.key.id, actor: TEST_ACTOR });
  const good = world.keys.read;
  const keys: Record<Caller, string | undefined> = {
    none: undefined,
    malformed: "sm_live_not-a-key",
    bad_checksum: good.slice(0, -6) + (good.slice(-6) === "000000" ? "000001" : "000000"),
    expired: expiring.secret,
    revoked: revoked.secret,
    read: world.keys.read,
    read_write: world.keys.read_write,
    management: world.keys.management,
    sm_mgmt: world.keys.tenant,
    other_tenant: other.keys.tenant,
    other_mailbox: otherMailboxKey.secret,
  };
  return { world, keys };
}

function concretePath(route: RouteSpec, ids: Record<string, string>): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const url = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    params[name] = ids[name] ?? "00000000-0000-7000-8000-000000000000";
    return encodeURIComponent(params[name]);
  });
  return { url, params };
}

describe("authorization matrix", () => {
  for (const route of API_ROUTES) {
    it(`${route.method} ${route.path}`, async () => {
      const handler = await handlerFor(route);
      // Destructive routes get a fresh world per caller so one call cannot change the next.
      const destructive = route.method === "DELETE";
      let setup = await makeCallers();
      for (const caller of CALLERS) {
        if (destructive) setup = await makeCallers();
        const ids = { mailboxId: setup.world.mailbox.id, ...(await matrixResources(setup.world)) };
        const { url, params } = concretePath(route, ids);
        const res = await call(handler, route.method, url, {
          key: setup.keys[caller],
          params,
          // JSON, not a Server-Sent Events stream, from the event routes: the call reads the whole body.
          headers: { accept: "application/json" },
          ...(route.method === "POST" || route.method === "PATCH" ? { body: {} } : {}),
        });
        const want = expected(route, caller);
        const label = `${route.method} ${route.path} as ${caller} → ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.headers.get("x-request-id"), label).toMatch(/^req_/);
        if (want === "allowed") {
          expect([401, 403], label).not.toContain(res.status);
          if (res.status === 404) expect(res.json?.error?.message, label).not.toBe("Mailbox not found");
        } else {
          expect(res.status, label).toBe(want.status);
          expect(res.json?.error?.code, label).toBe(want.code);
        }
      }
    });
  }

  it("every route file's methods are in the route table, and every other method answers 405 in the error shape", async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const p = path.join(dir, entry);
        if (statSync(p).isDirectory()) walk(p);
        else if (entry === "route.ts") files.push(p);
      }
    };
    walk("app/api/v1");
    const tablePaths = new Set(API_ROUTES.map((r) => `${r.method} ${routeFile(r.path)}`));
    for (const file of files) {
      if (file.includes("[[...path]]")) continue;
      const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const handler = mod[method];
        const listed = tablePaths.has(`${method} ${file}`);
        if (listed) {
          expect(typeof handler, `${method} ${file}`).toBe("function");
          continue;
        }
        expect(typeof handler, `${file} must answer ${method} with 405`).toBe("function");
        const res = await call(handler as Parameters<typeof call>[0], method, "/api/v1/x", {});
        expect(res.status, `${method} ${file} is served but has no row in API_ROUTES`).toBe(405);
        expect(res.json.error.code).toBe("method_not_allowed");
        expect(res.headers.get("allow")).toBeTruthy();
      }
      const options = mod.OPTIONS;
      expect(typeof options, `${file} must answer OPTIONS`).toBe("function");
      const preflight = await call(options as Parameters<typeof call>[0], "OPTIONS", "/api/v1/x", {});
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("x-request-id")).toMatch(/^req_/);
      const served = API_ROUTES.filter((r) => routeFile(r.path) === file).map((r) => r.method);
      expect(preflight.headers.get("allow")?.split(", ").sort()).toEqual([...served, "OPTIONS"].sort());
    }
  });

  it("unknown paths under /api/v1 are 404 in the error shape", async () => {
    const mod = await import("@/app/api/v1/[[...path]]/route");
    const res = await call(mod.GET, "GET", "/api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ code: "not_found", requestId: res.headers.get("x-request-id") });
  });
});
