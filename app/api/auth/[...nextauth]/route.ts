import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';

type Ctx = { params: Promise<{ nextauth: string[] }> };

// next-auth 4 reads `params.nextauth` synchronously; Next 16 hands params as a Promise.
async function handler(req: Request, ctx: Ctx) {
  const params = await ctx.params;
  return NextAuth(req as never, { params } as never, authOptions());
}

export { handler as GET, handler as POST };
