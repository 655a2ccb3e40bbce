import "server-only";
import { getEnv } from "@/lib/env";
import { localProvider } from "@/lib/outbound/providers/local-provider";
import { resendProvider } from "@/lib/outbound/providers/resend-provider";
import type { MailProvider } from "@/lib/outbound/providers/types";

export type ProviderName = MailProvider["name"];

/** The provider new sends use: MAIL_PROVIDER (local by default). */
export function configuredProviderName(): ProviderName {
  return getEnv().MAIL_PROVIDER;
}

/** A message is delivered by the provider it was accepted for, even if the setting changed since. */
export function getProvider(name: string | null | undefined): MailProvider {
  return (name ?? configuredProviderName()) === "resend" ? resendProvider : localProvider;
}
