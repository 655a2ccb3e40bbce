"use client";

import { changePasswordAction } from "./actions";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { cardClass, inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function ChangePasswordForm({ passwordMinLength, hasPassword }: { passwordMinLength: number; hasPassword: boolean }) {
  const { pending, error, notice, run, setError } = useActionForm();
  return (
    <section className={`${cardClass} max-w-lg`} aria-labelledby="password-heading">
      <h2 id="password-heading" className="mb-4 text-base font-semibold">
        {hasPassword ? "Change your password" : "Set a password"}
      </h2>
      {!hasPassword && (
        <p className="mb-4 text-sm text-slate-600">
          You sign in with a provider. Setting a password needs a sign-in within the last 10 minutes.
        </p>
      )}
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const data = new FormData(form);
          const newPassword = String(data.get("newPassword") ?? "");
          if (newPassword !== String(data.get("confirmPassword") ?? "")) {
            setError("The new passwords do not match.");
            return;
          }
          run(
            () => changePasswordAction({ currentPassword: String(data.get("currentPassword") ?? ""), newPassword }),
            (result) => {
              form.reset();
              return result.signedIn
                ? "Your password has been changed. Every other session has been signed out."
                : "Your password has been changed and every session signed out. Sign in again with the new one.";
            },
          );
        }}
      >
        {hasPassword && (
          <div className="flex flex-col gap-1">
            <label htmlFor="currentPassword" className={labelClass}>
              Current password
            </label>
            <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required className={inputClass} />
          </div>
        )}
        <div className="flex flex-col gap-1">
          <label htmlFor="newPassword" className={labelClass}>
            New password
          </label>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={passwordMinLength}
            className={inputClass}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="confirmPassword" className={labelClass}>
            New password again
          </label>
          <input id="confirmPassword" name="confirmPassword" type="password" autoComplete="new-password" required className={inputClass} />
        </div>
        <ActionFeedback error={error} notice={notice} />
        <div>
          <button type="submit" className={primaryButtonClass} disabled={pending}>
            {hasPassword ? "Change password" : "Set password"}
          </button>
        </div>
      </form>
    </section>
  );
}
