import { getPageSession } from "@/lib/http/with-session";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { hasPassword } from "@/lib/auth/account-status";
import { PageHeader } from "../page-header";
import { ChangePasswordForm } from "./change-password-form";
import { SignOutEverywhere } from "./sign-out-everywhere";

export const metadata = { title: "Your account · Sairaph Mail" };

export default async function AccountPage() {
  const session = await getPageSession();
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${session.user.email}.`} />
      <div className="flex flex-col gap-6">
        <ChangePasswordForm passwordMinLength={PASSWORD_MIN_LENGTH} hasPassword={await hasPassword(session.user.id)} />
        <SignOutEverywhere />
      </div>
    </>
  );
}
