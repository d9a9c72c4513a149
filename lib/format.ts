/** Whole days from `from` to `to` (negative when `to` is earlier), rounded down. */
export const daysBetween = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / 86_400_000);

/**
 * A moment as the console shows it, always in UTC (admins and servers sit in different zones):
 * `2026-11-28 14:05 UTC`, with seconds for logs, or the bare date.
 */
export function formatUtc(value: Date | string, precision: 'day' | 'minute' | 'second' = 'minute'): string {
  const iso = new Date(value).toISOString();
  if (precision === 'day') return iso.slice(0, 10);
  return `${iso.slice(0, precision === 'second' ? 19 : 16).replace('T', ' ')} UTC`;
}
