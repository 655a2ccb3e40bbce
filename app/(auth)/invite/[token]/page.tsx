import Link from "next/link";
import { loadSession } from "@/lib/auth/resolve-session";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { findOpenInvitation } from "@/lib/members/accept-invitation";
import { signOutForInvitationAction } from "./actions";
import { AcceptInvitationForm, SignUpWithInvitationForm } from "./invite-forms";
import { FormError } from "@/components/ui/form-message";
import { cardClass, secondaryButtonClass } from "@/components/ui/styles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Invitation · Sairaph Mail" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findOpenInvitation(token);
  if (!invitation) {
    return (
      <section className={cardClass}>
        <h1 className="mb-4 text-xl font-semibold">Invitation</h1>
        <FormError message="This invitation link is not valid: it was used, revoked or replaced, or it has expired. Ask for a new one." />
      </section>
    );
  }
  const resolution = await loadSession();
  const user = resolution.status === "ok" ? resolution.context.user : resolution.status === "no_tenant" ? resolution.user : null;
  return (
    <section className={cardClass}>
      <h1 className="mb-1 text-xl font-semibold">Join {invitation.tenantName}</h1>
      <p className="mb-4 text-sm text-slate-600">
        <span className="break-all">{invitation.email}</span> is invited as <strong>{invitation.role}</strong>.
      </p>
      {user && user.email === invitation.email ? (
        <AcceptInvitationForm token={token} />
      ) : user ? (
        <form action={signOutForInvitationAction} className="flex flex-col gap-3">
          <p className="text-sm text-slate-600">
            You are signed in as <span className="break-all">{user.email}</span>. Sign out, then open the link again as {invitation.email}.
          </p>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className={secondaryButtonClass}>
            Sign out
          </button>
        </form>
      ) : (
        <div className="flex flex-col gap-4">
          <p className="text-sm text-slate-600">
            Already have an account with this address?{" "}
            <Link href={`/sign-in?next=/invite/${token}&email=${encodeURIComponent(invitation.email)}`} className="font-medium text-slate-900 underline">
              Sign in to accept
            </Link>
          </p>
          <h2 className="text-base font-semibold">Or create your account</h2>
          <SignUpWithInvitationForm token={token} email={invitation.email} passwordMinLength={PASSWORD_MIN_LENGTH} />
        </div>
      )}
    </section>
  );
}
