/** The kinds of identity store, shared by the browser (forms, lists) and the server; no Zod here. */
export const STORE_TYPES = ['active_directory', 'entra_id', 'ldap', 'other'] as const;
export type StoreType = (typeof STORE_TYPES)[number];
export const STORE_TYPE_LABELS: Record<StoreType, string> = {
  active_directory: 'Active Directory',
  entra_id: 'Microsoft Entra ID',
  ldap: 'Generic LDAP',
  other: 'Other',
};
