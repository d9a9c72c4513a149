import { readiness } from '@/lib/runtime/readiness';

export const dynamic = 'force-dynamic';

/** For load balancers: 200 when this process should get new work, 503 with the reasons when not. */
export async function GET() {
  const report = await readiness();
  return Response.json(report, {
    status: report.status === 'ready' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
