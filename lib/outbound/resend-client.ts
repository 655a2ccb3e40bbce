import "server-only";
import { Resend } from "resend";
import { getEnv } from "@/lib/env";

let client: Resend | undefined;

/** The official SDK; it reads RESEND_BASE_URL itself, which the tests point at a local fake. */
export function resendClient(): Resend {
  const env = getEnv();
  if (!env.RESEND_API_KEY) throw new Error("RESEND_API_KEY is not set");
  client ??= new Resend(env.RESEND_API_KEY);
  return client;
}
