import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages that must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "@prisma/schema-engine-wasm"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
