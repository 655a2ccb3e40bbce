import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layer boundaries (README "Architecture"). Imports use the "@/" alias; relative
// imports out of a folder are refused under lib/ and components/, so they cannot
// slip past these rules.
const relativeUp = { group: ["../*", "../**"], message: "Import with the @/ alias, so the layer boundaries can be checked." };
const database = {
  group: ["@/lib/db", "@/lib/db/*", "@/lib/generated/*", "@/lib/generated/**", "@prisma/*", "pg", "pg/*"],
  message: "This layer does not touch the database.",
};
const http = { group: ["@/lib/http", "@/lib/http/*"], message: "Domain code throws ApiError from @/lib/errors; only the HTTP edge (lib/http) maps it to HTTP." };
const app = { group: ["@/app", "@/app/*", "@/app/**"], message: "lib/ never imports app/: routes call lib, not the other way round." };

// The edges, one per way in: lib/http (REST errors, wrappers, route table, OpenAPI) and
// lib/mcp (the MCP server, whose tools are declared from the route table and answer
// in the REST error codes). Everything else under lib/ is domain code.
// The server hooks wrap every node:http request (request id, logs, metrics): an HTTP edge too.
const HTTP_EDGE = ["lib/http/**", "lib/mcp/**", "lib/observability/server-hooks.ts"];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Pure crypto: keys in, bytes out.
    files: ["lib/crypto/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [database, http, app, relativeUp] }] },
  },
  {
    files: ["lib/**"],
    ignores: ["lib/crypto/**", ...HTTP_EDGE],
    rules: { "no-restricted-imports": ["error", { patterns: [http, app, relativeUp] }] },
  },
  {
    files: HTTP_EDGE,
    rules: { "no-restricted-imports": ["error", { patterns: [app, relativeUp] }] },
  },
  {
    files: ["components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [database, relativeUp] }] },
  },
  globalIgnores([".next/**", "lib/generated/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
]);
