"use client";

import { changePasswordAction } from "./actions";
import { ActionFeedback, useActionForm } from "@/components/ui/use-action-form";
import { cardClass, inputClass, labelClass, primaryButtonClass } from "@/components/ui/styles";

export function ChangePasswordForm({ passwordMinLength }: { passwordMinLength: number }) {
  const { pending, error, notice, run, setError } = useActionForm();
  return (
    <section className={`${cardClass} max-w-lg`} aria-labelledby="password-heading">
      <h2 id="password-heading" className="mb-4 text-base font-semibold">
        Change your password
      </h2>
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
            () => {
              form.reset();
              return "Your password has been changed.";
            },
          );
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor="currentPassword" className={labelClass}>
            Current password
          </label>
          <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" className={inputClass} />
        </div>
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
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}
