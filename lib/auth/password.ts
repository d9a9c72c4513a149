import bcrypt from 'bcryptjs';

const COST = 12;

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, COST);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

/** Spends the same time as a real check, so unknown accounts are not revealed by timing. */
const DUMMY_HASH = bcrypt.hashSync('mailroom-timing-equaliser', COST);
export async function burnPasswordCheck(plain: string): Promise<false> {
  await bcrypt.compare(plain, DUMMY_HASH);
  return false;
}
