"use server";

import { redirect } from "next/navigation";
import { verifyEmail } from "@/lib/auth/email-verification";

// The link's button: a POST, so a mail scanner that only fetches the link uses nothing up.
export async function verifyEmailAction(form: FormData): Promise<void> {
  const verified = await verifyEmail(String(form.get("token") ?? ""));
  redirect(verified ? "/verify-email?done=1" : "/verify-email?failed=1");
}
