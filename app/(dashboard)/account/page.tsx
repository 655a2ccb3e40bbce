import { getPageSession } from "@/lib/http/with-session";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { hasPassword } from "@/lib/auth/account-status";
import { PageHeader } from "../page-header";
import { ChangePasswordForm } from "./change-password-form";
import { SignOutEverywhere } from "./sign-out-everywhere";
import { VerifyAddress } from "./verify-address";
import { FormNotice } from "@/components/ui/form-message";

export const metadata = { title: "Your account · Sairaph Mail" };

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ password?: string }> }) {
  const session = await getPageSession();
  const { password } = await searchParams;
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${session.user.email}.`} />
      <div className="flex flex-col gap-6">
        {password === "changed" && (
          <div className="max-w-lg">
            <FormNotice message="Your password has been changed. Every other session has been signed out." />
          </div>
        )}
        {!session.user.emailVerified && <VerifyAddress email={session.user.email} />}
        <ChangePasswordForm passwordMinLength={PASSWORD_MIN_LENGTH} hasPassword={await hasPassword(session.user.id)} />
        <SignOutEverywhere />
      </div>
    </>
  );
}
