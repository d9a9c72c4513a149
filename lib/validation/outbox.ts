import { z } from '@/lib/validation/zod';

const id = z.string().min(1).max(100);

/** Retry now, Cancel, Delete and Show body: one message, on a store's Queue page or the one for all stores. */
export const queueMessageSchema = z.object({ id, storeId: id.optional() });
/** Retry all failed: of one store, or of all. */
export const retryAllFailedSchema = z.object({ storeId: id.optional() });

export const LIMIT_RANGES = {
  sendPerMinute: [1, 10_000],
  maxConnections: [1, 50],
  dailyRecipientLimit: [1, 1_000_000],
  maxAttempts: [1, 20],
} as const;

const wholeIn =
  (label: string, [min, max]: readonly [number, number]) =>
  (v: number | null) =>
    v === null ||
    (v >= min && v <= max) ||
    `${label} must be between ${min.toLocaleString('en')} and ${max.toLocaleString('en')}.`;

/** A number field that may be left empty for the provider's default (null). */
const optionalLimit = (label: string, range: readonly [number, number]) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d*$/.test(v.replace(/[,\s]/g, '')), `${label}: enter a whole number, or leave it empty for the default.`)
    .transform((v) => (v.replace(/[,\s]/g, '') === '' ? null : Number(v.replace(/[,\s]/g, ''))))
    .check((ctx) => {
      const ok = wholeIn(label, range)(ctx.value);
      if (ok !== true) ctx.issues.push({ code: 'custom', message: ok, input: ctx.value });
    });

/** The Notifications page's Delivery limits: empty = what the provider allows (lib/outbox/limits.ts). */
export const deliveryLimitsSchema = z.object({
  sendPerMinute: optionalLimit('Messages per minute', LIMIT_RANGES.sendPerMinute),
  maxConnections: optionalLimit('Connections at once', LIMIT_RANGES.maxConnections),
  dailyRecipientLimit: optionalLimit('Recipients per day', LIMIT_RANGES.dailyRecipientLimit),
  maxAttempts: z
    .string()
    .trim()
    .refine((v) => /^\d+$/.test(v), 'Attempts: enter a whole number.')
    .transform(Number)
    .check((ctx) => {
      const ok = wholeIn('Attempts', LIMIT_RANGES.maxAttempts)(ctx.value);
      if (ok !== true) ctx.issues.push({ code: 'custom', message: ok, input: ctx.value });
    }),
});

export type DeliveryLimitsInput = z.input<typeof deliveryLimitsSchema>;
export type DeliveryLimitsValues = z.output<typeof deliveryLimitsSchema>;
