import { defineConfig } from "prisma/config";

// Used by `prisma generate` only. Migrations run through scripts/migrate.ts with
// Prisma's WebAssembly schema engine, which needs no download (see README).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
