import { z } from '@/lib/validation/zod';

import { STORE_TYPES } from '@/lib/stores/types';

export { STORE_TYPE_LABELS, STORE_TYPES } from '@/lib/stores/types';

const label = (empty: string) =>
  z
    .string()
    .trim()
    .min(1, empty)
    .max(80, 'A name is at most 80 characters.')
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'Line breaks and control characters are not allowed here.');
const name = label('Enter a name.');

export const createStoreSchema = z.object({ name, type: z.enum(STORE_TYPES, 'Choose a type.') });
export const renameStoreSchema = z.object({ id: z.string().min(1), name });
export const deleteStoreSchema = z.object({ id: z.string().min(1), confirmName: z.string() });

export const createApiKeySchema = z.object({
  storeId: z.string().min(1),
  name: label('Name the key after the system that will use it, e.g. "Helpdesk".'),
});
export const revokeApiKeySchema = z.object({ storeId: z.string().min(1), id: z.string().min(1) });
