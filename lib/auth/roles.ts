export const ROLES = ['admin', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type CurrentUser = { id: string; email: string; name: string; role: Role };

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

/** Admins change settings, connect OAuth and send tests; viewers read. */
export const canChangeSettings = (user: Pick<CurrentUser, 'role'>) => user.role === 'admin';
