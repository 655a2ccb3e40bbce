import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as openapi from "@/app/api/v1/openapi.json/route";
import { API_ROUTES } from "@/lib/http/route-table";
import { call } from "@/test/helpers/api";

const API_DIR = path.resolve(import.meta.dirname, "../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every exported handler of app/api/v1/**\/route.ts, as "METHOD /api/v1/path/{param}". */
function handlersOnDisk(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith("[[...")) continue; // the catch-all 404 answer
        walk(full);
      } else if (entry.name === "route.ts") {
        const rel = path.relative(API_DIR, dir).split(path.sep).filter(Boolean);
        const routePath = "/api/v1/" + rel.map((p) => p.replace(/^\[(.+)\]$/, "{$1}")).join("/");
        const source = readFileSync(full, "utf8");
        for (const m of source.matchAll(/export\s+(?:const|async function|function)\s+([A-Z]+)\b/g)) {
          if (METHODS.includes(m[1])) found.push(`${m[1]} ${routePath.replace(/\/$/, "")}`);
        }
      }
    }
  };
  walk(API_DIR);
  return found.sort();
}

describe("GET /api/v1/openapi.json", () => {
  it("serves OpenAPI 3.1 without a key, with bearer security", async () => {
    const res = await call(openapi.GET, "GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.json.openapi).toBe("3.1.0");
    expect(res.json.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("documents every route of the route table and every route handler on disk", async () => {
    const doc = (await call(openapi.GET, "GET", "/api/v1/openapi.json")).json;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    const table = API_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    expect(documented).toEqual(table);
    const onDisk = handlersOnDisk();
    expect(onDisk.length).toBeGreaterThan(5);
    expect(table).toEqual(expect.arrayContaining(onDisk));
    expect(onDisk).toEqual(expect.arrayContaining(table));
  });

  it("describes parameters, bodies, responses and security from the same schemas", async () => {
    const doc = (await call(openapi.GET, "GET", "/api/v1/openapi.json")).json;
    for (const route of API_ROUTES) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      const label = `${route.method} ${route.path}`;
      const pathParams = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const documentedParams = (op.parameters ?? []).filter((p: { in: string }) => p.in === "path").map((p: { name: string }) => p.name);
      expect(documentedParams, label).toEqual(pathParams);
      expect(op.security, label).toEqual(route.role === "none" ? [] : [{ bearer: [] }]);
      if (["POST", "PATCH", "PUT"].includes(route.method)) {
        expect(route.body, `${label} needs a body schema`).toBeDefined();
        expect(op.requestBody.content["application/json"].schema.type, label).toBe("object");
      }
      expect(route.response, `${label} needs a response schema`).toBeDefined();
      expect(Object.keys(op.responses), label).toContain(String(route.status ?? 200));
    }
    const list = doc.paths["/api/v1/mailboxes/{mailboxId}/messages"].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(["mailboxId", "limit", "cursor", "direction", "unread", "threadId", "label", "q", "after", "wait"]);
    const patch = doc.paths["/api/v1/mailboxes/{mailboxId}/messages/{messageId}"].patch.requestBody.content["application/json"].schema;
    expect(patch.properties.labels).toMatchObject({ type: "array", maxItems: 50, items: { minLength: 1, maxLength: 64 } });
    expect(patch.additionalProperties).toBe(false);
    // Path parameters are typed as what the route accepts: ids are UUIDs, a suppression's {address} an email.
    const unsuppress = doc.paths["/api/v1/mailboxes/{mailboxId}/suppressions/{address}"].delete.parameters;
    expect(unsuppress.find((p: { name: string }) => p.name === "address").schema).toMatchObject({ type: "string", format: "email" });
    expect(unsuppress.find((p: { name: string }) => p.name === "mailboxId").schema).toMatchObject({ format: "uuid" });
    // Send and reply document the Idempotency-Key header and its 409/422 answers.
    for (const p of ["/api/v1/mailboxes/{mailboxId}/messages", "/api/v1/mailboxes/{mailboxId}/messages/{messageId}/reply"]) {
      const op = doc.paths[p].post;
      expect(op.parameters.filter((x: { in: string }) => x.in === "header").map((x: { name: string }) => x.name), p).toEqual(["Idempotency-Key"]);
      expect(Object.keys(op.responses), p).toEqual(expect.arrayContaining(["409", "413", "422"]));
    }
    expect(Object.keys(doc.paths["/api/v1/mailboxes"].post.responses)).toContain("409");
    // operationIds are unique across the document.
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    // A message in the document never exposes ciphertext or index fields.
    const message = JSON.stringify(doc.paths["/api/v1/mailboxes/{mailboxId}/messages/{messageId}"].get.responses["200"]);
    for (const secret of ["Cipher", "searchTokens", "rfcMessageIdHash"]) expect(message).not.toContain(secret);
  });
});
