import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages that must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["pg", "@prisma/schema-engine-wasm", "pino", "pino-pretty", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
