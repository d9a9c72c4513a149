export const ROLES = ['admin', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export type CurrentUser = { id: string; email: string; name: string; role: Role };

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', viewer: 'Viewer' };

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

/** Admins change settings, connect OAuth and send tests; viewers read. */
export const canChangeSettings = (user: Pick<CurrentUser, 'role'>) => user.role === 'admin';

/** Whether `user` may do what needs `role` (every signed-in user has the viewer's rights). */
export const hasRole = (user: Pick<CurrentUser, 'role'>, role: Role) => role === 'viewer' || canChangeSettings(user);

export const ADMIN_ONLY_MESSAGE = 'Only admins can do this. Your account is read-only (viewer).';
