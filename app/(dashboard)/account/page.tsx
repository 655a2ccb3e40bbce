import { getPageSession } from "@/lib/http/with-session";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { PageHeader } from "../page-header";
import { ChangePasswordForm } from "./change-password-form";

export const metadata = { title: "Your account · Sairaph Mail" };

export default async function AccountPage() {
  const session = await getPageSession();
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${session.user.email}.`} />
      <ChangePasswordForm passwordMinLength={PASSWORD_MIN_LENGTH} />
    </>
  );
}
