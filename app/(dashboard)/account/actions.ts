"use server";

import { unstable_rethrow } from "next/navigation";
import { runSessionAction } from "@/lib/http/with-session";
import { changePassword } from "@/lib/auth/change-password";
import { signOutEverywhere } from "@/lib/auth/session-version";
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
  try {
    await signIn("credentials", { email: result.data.email, password: String(raw.newPassword), redirect: false });
  } catch (err) {
    unstable_rethrow(err);
    // The password is changed either way; this browser then signs in like the others.
    return { ok: true as const, data: { changed: true, signedIn: false } };
  }
  return { ok: true as const, data: { changed: true, signedIn: true } };
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
