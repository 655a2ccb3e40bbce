/** A message's status as a pill: problems in red, in-flight in amber, done in green. */
export function MessageStatus({ status }: { status: string }) {
  const tone =
    status === "failed" || status === "bounced" || status === "complained" || status === "rejected"
      ? "border-red-200 bg-red-50 text-red-800"
      : status === "queued" || status === "delayed" || status === "pending_approval"
        ? "border-amber-200 bg-amber-50 text-amber-800"
        : status === "received"
          ? "border-sky-200 bg-sky-50 text-sky-800"
          : "border-emerald-200 bg-emerald-50 text-emerald-800";
  return <span className={`inline-block rounded-full border px-2 py-0.5 text-xs font-medium ${tone}`} data-testid="message-status">{status === "pending_approval" ? "pending approval" : status}</span>;
}
