"use client";

import { useRef } from "react";
import { switchTenantAction } from "./actions";

export function TenantSwitcher({
  activeTenantId,
  memberships,
}: {
  activeTenantId: string;
  memberships: { tenantId: string; tenantName: string; role: string }[];
}) {
  const formRef = useRef<HTMLFormElement>(null);
  return (
    <form ref={formRef} action={switchTenantAction} className="flex flex-col gap-1">
      <label htmlFor="tenant-switcher" className="text-xs font-medium uppercase tracking-wide text-slate-400">
        Tenant
      </label>
      <select
        id="tenant-switcher"
        name="tenantId"
        defaultValue={activeTenantId}
        className="block w-full rounded-md border border-slate-700 bg-slate-800 px-3 py-2 text-sm text-white focus:outline-none focus:ring-2 focus:ring-slate-400"
        onChange={() => formRef.current?.requestSubmit()}
      >
        {memberships.map((m) => (
          <option key={m.tenantId} value={m.tenantId}>
            {m.tenantName} ({m.role})
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit">Switch</button>
      </noscript>
    </form>
  );
}
