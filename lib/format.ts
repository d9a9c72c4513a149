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

/** How long ago, roughly, as the console shows an age: `45 s`, `12 min`, `3 h 5 min`, `2 days`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} days`;
}
