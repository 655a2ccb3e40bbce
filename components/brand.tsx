/** The logo (public/logo.svg) and the product name. */
export function Brand({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      {/* eslint-disable-next-line @next/next/no-img-element -- a 28 px SVG needs no image optimisation */}
      <img src="/logo.svg" alt="" width={28} height={28} className="h-7 w-7" />
      Sairaph Mail
    </span>
  );
}
