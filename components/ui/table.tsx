import type { ReactNode, TdHTMLAttributes } from 'react';

/** A data table: column headings, rows with dividers, horizontal scrolling on narrow screens. */
export function Table({ columns, children }: { columns: readonly ReactNode[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800">
          <tr>
            {columns.map((heading, i) => (
              <th key={i} scope="col" className="py-2 pr-4 font-medium">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}

export function Cell({ className = '', ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={`py-2 pr-4 ${className}`} {...props} />;
}

/** What a list says instead of an empty table. */
export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="py-6 text-center text-sm text-slate-500">{children}</p>;
}
