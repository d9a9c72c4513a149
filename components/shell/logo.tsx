import Image from 'next/image';

/** public/logo.svg, the same mark as the favicon. */
export function Logo() {
  return (
    <span className="inline-flex items-center gap-2 text-lg font-semibold tracking-tight">
      <Image src="/logo.svg" alt="" width={24} height={24} unoptimized priority />
      Mailroom
    </span>
  );
}
