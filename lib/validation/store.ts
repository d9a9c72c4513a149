import { z } from '@/lib/validation/zod';

export const STORE_TYPES = ['active_directory', 'entra_id', 'ldap', 'other'] as const;
export const STORE_TYPE_LABELS: Record<(typeof STORE_TYPES)[number], string> = {
  active_directory: 'Active Directory',
  entra_id: 'Microsoft Entra ID',
  ldap: 'Generic LDAP',
  other: 'Other',
};

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
