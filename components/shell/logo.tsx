/** public/logo.svg, the same mark as the favicon. */
export function Logo() {
  return (
    <span className="inline-flex items-center gap-2 text-lg font-semibold tracking-tight">
      {/* A plain img: a fixed-size SVG needs none of next/image's resizing, whose code every page would load. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src="/logo.svg" alt="" width={24} height={24} fetchPriority="high" />
      Mailroom
    </span>
  );
}
