"use server";

import { runSessionAction } from "@/lib/http/with-session";
import { changePassword } from "@/lib/auth/change-password";

// Change the signed-in user's own password.
export async function changePasswordAction(raw: { currentPassword: string; newPassword: string }) {
  return runSessionAction({}, async (session) => {
    await changePassword({
      userId: session.user.id,
      currentPassword: String(raw.currentPassword ?? ""),
      newPassword: String(raw.newPassword ?? ""),
      actor: session.actor,
    });
    return { changed: true };
  });
}
