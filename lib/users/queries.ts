import 'server-only';
import { db } from '@/lib/db';

export function listUsers() {
  return db.user.findMany({
    orderBy: { email: 'asc' },
    select: { id: true, email: true, name: true, role: true, createdAt: true, lastLoginAt: true },
  });
}
