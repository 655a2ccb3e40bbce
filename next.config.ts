import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages that must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["pg", "@prisma/schema-engine-wasm", "pino", "pino-pretty", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
  // No page of the app may be framed by another site (clickjacking): CSP for current
  // browsers, X-Frame-Options for older ones. Message HTML is shown in a srcdoc
  // iframe, which is not fetched and so not affected.
  // Referrer-Policy: a dashboard URL never leaves for another site (a link in a message
  // opened from the dashboard); the pages whose path or query carries a one-time token
  // (an invitation, an address verification) send no referrer at all. The later entry
  // wins for its paths.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
      { source: "/invite/:token*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
      { source: "/verify-email", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    ];
  },
};

export default nextConfig;
