"use server";

import { redirect, unstable_rethrow } from "next/navigation";
import { runSessionAction } from "@/lib/http/with-session";
import { changePassword } from "@/lib/auth/change-password";
import { signOutEverywhere } from "@/lib/auth/session-version";
import { sendVerificationEmail } from "@/lib/auth/email-verification";
import { signIn, signOut } from "@/lib/auth/auth";

// Change the signed-in user's own password. Every session ends; this browser is
// signed in again with the new password, so only the others have to.
export async function changePasswordAction(raw: { currentPassword: string; newPassword: string }) {
  const result = await runSessionAction({}, async (session) => {
    const { email } = await changePassword({
      userId: session.user.id,
      currentPassword: String(raw.currentPassword ?? ""),
      newPassword: String(raw.newPassword ?? ""),
      actor: session.actor,
      ip: session.actor.ip ?? null,
      signedInAt: session.signedInAt,
    });
    return { changed: true, email };
  });
  if (!result.ok) return result;
  let issued: string;
  try {
    issued = String((await signIn("credentials", { email: result.data.email, password: String(raw.newPassword), redirect: false })) ?? "");
  } catch (err) {
    unstable_rethrow(err);
    issued = "?error=CredentialsSignin";
  }
  // The password is changed either way; if this browser could not be signed in again,
  // it signs in like the others (the page re-renders with its ended session).
  if (/[?&]error=/.test(issued.slice(0, 2000))) return { ok: true as const, data: { changed: true, signedIn: false } };
  // A fresh request carries the new session cookie; re-rendering within this action
  // would still see the ended one.
  redirect("/account?password=changed");
}

// "Sign out everywhere": ends every session of the user, this one included.
export async function signOutEverywhereAction() {
  const result = await runSessionAction({}, async (session) => {
    await signOutEverywhere({ userId: session.user.id, actor: session.actor });
    return { signedOut: true };
  });
  if (!result.ok) return result;
  await signOut({ redirectTo: "/sign-in" });
  return result;
}

// Mail a new verification link to the signed-in user's address.
export async function resendVerificationAction() {
  return runSessionAction({}, async (session) => {
    if (session.user.emailVerified) return { sent: false };
    await sendVerificationEmail({ userId: session.user.id, email: session.user.email, tenantId: session.tenant.id });
    return { sent: true };
  });
}
