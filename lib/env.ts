// The only reader of process.env (STYLE.md). Validated with zod; a missing or
// malformed variable stops start-up with one line that names it.
import "server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const base64Key = optional.refine(
  (v) => v === undefined || (/^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, "base64").length === 32),
  "must be the base64 of exactly 32 bytes (generate one with: openssl rand -base64 32)",
);

const envSchema = z
  .object({
    PORT: optional.pipe(z.string().regex(/^\d+$/, "must be a port number").default("3000").transform(Number)).pipe(z.number().int().min(1, "must be a port number").max(65535, "must be a port number")),
    SAIRAPH_DATA_DIR: optional.transform((v) => path.resolve(/*turbopackIgnore: true*/ v ?? ".data")),
    DATABASE_URL: optional.refine(
      (v) => v === undefined || /^postgres(ql)?:\/\/.+/.test(v),
      "must be a postgresql:// URL",
    ),
    SAIRAPH_MASTER_KEY: base64Key,
    SAIRAPH_MASTER_KEY_PREVIOUS: base64Key,
    AUTH_SECRET: optional.refine((v) => v === undefined || v.length >= 32, "must be at least 32 characters"),
    // URL.canParse alone takes "localhost:3000" (scheme "localhost:"): links and cookies would break.
    SAIRAPH_PUBLIC_URL: optional.refine(
      (v) => v === undefined || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol) && new URL(v).hostname !== ""),
      "must be an absolute http(s) URL such as https://mail.example.com",
    ),
    SAIRAPH_REGION: optional.pipe(
      z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "must be a lowercase region name such as eu").default("eu"),
    ),
    MAIL_PROVIDER: optional.pipe(z.enum(["local", "resend"]).default("local")),
    RESEND_API_KEY: optional,
    // The From of verification links, invitations and notices (default: no-reply at the public host).
    SAIRAPH_SYSTEM_FROM: optional.refine((v) => v === undefined || (v.length <= 320 && v.includes("@")), "must be an email address, optionally with a display name"),
    RESEND_BASE_URL: optional.refine((v) => v === undefined || URL.canParse(v), "must be an absolute URL"),
    RESEND_WEBHOOK_SECRET: optional,
    // Calls to Resend per second across every worker (Resend's default team limit is 2).
    RESEND_REQUESTS_PER_SECOND: optional
      .pipe(z.string().regex(/^\d+$/, "must be a whole number").default("2").transform(Number))
      .pipe(z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000")),
    SAIRAPH_INBOUND_SECRET: optional.refine(
      (v) => v === undefined || /^whsec_[A-Za-z0-9+/=]+$/.test(v),
      "must look like whsec_<base64>",
    ),
    SAIRAPH_TRUSTED_PROXY_HOPS: optional
      .pipe(z.string().regex(/^\d{1,2}$/, "must be the number of reverse proxies in front of the app (0 when none)").default("0").transform(Number)),
    SAIRAPH_DNS_SERVERS: optional.refine(
      (v) => v === undefined || v.split(",").every((s) => /^(\[[0-9a-fA-F:.]{2,45}\]|[0-9.]{7,15}|[0-9a-fA-F:]{2,45})(:\d{1,5})?$/.test(s.trim())),
      "must be DNS server addresses as host:port, comma-separated (e.g. 127.0.0.1:53,[::1]:53)",
    ),
    SAIRAPH_WORKER: optional.pipe(z.enum(["on", "off"]).default("on")),
    SAIRAPH_MAX_HEAP_MB: optional
      .pipe(z.string().regex(/^\d+$/, "must be a whole number of megabytes").default("384").transform(Number))
      .pipe(z.number().int().min(128, "must be at least 128").max(65536, "must be at most 65536")),
    SAIRAPH_JOB_LEASE_SECONDS: optional
      .pipe(z.string().regex(/^\d+$/, "must be a whole number of seconds").default("120").transform(Number))
      .pipe(z.number().int().min(2, "must be at least 2").max(3600, "must be at most 3600")),
    SAIRAPH_METRICS_TOKEN: optional.refine((v) => v === undefined || v.length >= 16, "must be at least 16 characters"),
    SAIRAPH_LOG_LEVEL: optional.pipe(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
    SAIRAPH_EVENT_RETENTION_DAYS: optional
      .pipe(z.string().regex(/^\d+$/, "must be a whole number of days").default("30").transform(Number))
      .pipe(z.number().int().min(1, "must be at least 1").max(3650, "must be at most 3650")),
    // Webhook endpoints on private, loopback or link-local addresses and plain http:
    // allowed with the embedded database (development), refused with DATABASE_URL unless this is "on".
    SAIRAPH_WEBHOOKS_ALLOW_PRIVATE: optional.pipe(z.enum(["on", "off"]).optional()),
    AUTH_GITHUB_ID: optional,
    AUTH_GITHUB_SECRET: optional,
    AUTH_GOOGLE_ID: optional,
    AUTH_GOOGLE_SECRET: optional,
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL) {
      // Production is decided by the database: generated secrets would live on one
      // container's disk and be lost on redeploy, taking the data with them.
      for (const name of ["SAIRAPH_MASTER_KEY", "AUTH_SECRET"] as const) {
        if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when DATABASE_URL is set" });
      }
    }
    if (env.MAIL_PROVIDER === "resend" && !env.RESEND_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["RESEND_API_KEY"], message: "is required when MAIL_PROVIDER=resend" });
    }
  });

export type Env = z.infer<typeof envSchema> & {
  SAIRAPH_PUBLIC_URL: string;
  SAIRAPH_MASTER_KEY: string;
  AUTH_SECRET: string;
  /** True when no DATABASE_URL is set and the embedded Postgres is used. */
  embedded: boolean;
  /** True when SAIRAPH_MASTER_KEY is unset and the development key file in the data folder is used. */
  masterKeyGenerated: boolean;
};

export class EnvError extends Error {}

let cached: Env | undefined;

/** Parses the environment once. Throws EnvError with a one-line message naming the variable. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EnvError(`Invalid environment: ${String(issue.path[0])} ${issue.message}`);
  }
  const env = parsed.data;
  const embedded = !env.DATABASE_URL;
  cached = {
    ...env,
    embedded,
    masterKeyGenerated: !env.SAIRAPH_MASTER_KEY,
    SAIRAPH_PUBLIC_URL: (env.SAIRAPH_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    SAIRAPH_MASTER_KEY:
      env.SAIRAPH_MASTER_KEY ?? developmentSecret(env.SAIRAPH_DATA_DIR, "master.key", "SAIRAPH_MASTER_KEY"),
    AUTH_SECRET: env.AUTH_SECRET ?? developmentSecret(env.SAIRAPH_DATA_DIR, "auth.secret", "AUTH_SECRET"),
  };
  return cached;
}

/** For tests that change variables between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** Returns the raw value of a variable outside the product's schema (test helpers only). */
export function readRawEnv(name: string): string | undefined {
  return process.env[name];
}

/** Sets variables for child processes and libraries that read process.env themselves. */
export function exportEnv(values: Record<string, string>): void {
  Object.assign(process.env, values);
  cached = undefined;
}

// Generated once into the data folder (mode 0600) with a warning; only ever reached
// with the embedded database, since DATABASE_URL makes both secrets required.
function developmentSecret(dataDir: string, file: string, variable: string): string {
  const target = path.join(dataDir, file);
  if (existsSync(target)) return readFileSync(target, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64");
  writeFileSync(target, `${secret}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(target, 0o600);
  console.warn(
    `[sairaph] WARNING: generated a development ${variable} in ${target}. ` +
      `Back it up; set ${variable} in production.`,
  );
  return secret;
}
