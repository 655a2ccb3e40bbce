import "server-only";
import { Resend } from "resend";
import { getEnv } from "@/lib/env";

let cached: { client: Resend; key: string; baseUrl: string | undefined } | undefined;

/** The official SDK, pointed at RESEND_BASE_URL when set (the tests point it at a local fake). */
export function resendClient(): Resend {
  const env = getEnv();
  if (!env.RESEND_API_KEY) throw new Error("RESEND_API_KEY is not set");
  if (!cached || cached.key !== env.RESEND_API_KEY || cached.baseUrl !== env.RESEND_BASE_URL) {
    const client = new Resend(env.RESEND_API_KEY, env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : undefined);
    cached = { client, key: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL };
  }
  return cached.client;
}
