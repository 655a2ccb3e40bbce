import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages that must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["pg", "@prisma/schema-engine-wasm", "pino", "pino-pretty", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
  // No page of the app may be framed by another site (clickjacking): CSP for current
  // browsers, X-Frame-Options for older ones. Message HTML is shown in a srcdoc
  // iframe, which is not fetched and so not affected.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
