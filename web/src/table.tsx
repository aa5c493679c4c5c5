// The dashboard's one table: every list page (servers, versions, secrets, builds, clients, API
// keys, machine clients, members, invitations, audit) renders its rows through it, so headers,
// empty states, row details and the scroll wrapper look and read the same everywhere.
import { Fragment, type ReactNode } from 'react';

export type Column<T> = {
  /** The header; with `hidden`, read by screen readers only (e.g. "Actions"). */
  header: string;
  hidden?: boolean;
  cell: (row: T) => ReactNode;
  className?: string;
};

export function Table<T>(props: {
  rows: readonly T[];
  /** `false` leaves a column out (`showServer && {…}`). */
  columns: readonly (Column<T> | false | undefined)[];
  rowKey: (row: T) => string | number;
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
  /** Content under a row, across every column (a build log, an edit form); undefined for none. */
  detail?: (row: T) => ReactNode;
  testId?: string;
  /** A line under the table. */
  note?: ReactNode;
}) {
  const columns = props.columns.filter((c): c is Column<T> => !!c);
  if (props.rows.length === 0) {
    return typeof props.empty === 'string' ? <p className="muted">{props.empty}</p> : props.empty;
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid={props.testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.hidden ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => {
            const detail = props.detail?.(row);
            return (
              <Fragment key={props.rowKey(row)}>
                <tr>
                  {columns.map((c) => (
                    <td key={c.header} className={c.className}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
                {detail ? (
                  <tr className="row-detail">
                    <td colSpan={columns.length}>{detail}</td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {props.note && <p className="muted small table-note">{props.note}</p>}
    </div>
  );
}
