import type { ActivityRow } from '@/lib/activity/queries';
import { describeAction } from '@/components/activity/describe';

function formatDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function ActivityTable({ rows }: { rows: ActivityRow[] }) {
  if (rows.length === 0) {
    return <p className="py-6 text-center text-sm text-slate-500">No activity yet.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">When</th>
            <th scope="col" className="py-2 pr-4 font-medium">Who</th>
            <th scope="col" className="py-2 pr-4 font-medium">What</th>
            <th scope="col" className="py-2 pr-4 font-medium">Details</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((r) => (
            <tr key={r.id} className="align-top">
              <td className="py-2 pr-4 whitespace-nowrap text-slate-600 dark:text-slate-400">
                <time dateTime={r.createdAt.toISOString()}>{r.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</time>
              </td>
              <td className="py-2 pr-4">{r.actorEmail || <span className="text-slate-400">system</span>}</td>
              <td className="py-2 pr-4">
                {describeAction(r.action)}
                {r.target ? <span className="text-slate-500"> — {r.target}</span> : null}
              </td>
              <td className="py-2 pr-4 text-slate-600 dark:text-slate-400">
                {formatDetails(r.details)}
                {r.ip ? <span className="ml-1 text-xs text-slate-400">({r.ip})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
