/** A table of the report (labs/speed/report.ts) on the page: the same columns and cells, so page and report agree. */
import type { HTMLAttributes } from 'react';
import type { ReportTable } from '../../../labkit/report/report.ts';
import { formatNumber } from '../../../labkit/report/criteria.ts';

type RowProps = HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | number | boolean>;

export function Table({ table, testId, rowProps }: { table: ReportTable; testId?: string; rowProps?: (index: number) => RowProps }) {
  return (
    <div className="lab-scroll" role="region" aria-label={table.title} tabIndex={0}>
      <table className="lab-table" data-testid={testId}>
        {table.title && <caption>{table.title}</caption>}
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i} {...rowProps?.(i)}>
              {row.map((cell, j) => (
                <td key={j}>{cell === null || cell === undefined || cell === '' ? '–' : typeof cell === 'boolean' ? (cell ? 'yes' : 'no') : typeof cell === 'number' ? formatNumber(cell) : cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
