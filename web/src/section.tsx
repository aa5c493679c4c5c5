import type { ReactNode } from 'react';
import { ApiFailure } from './api';
import { ErrorBox, NotAvailable, Spinner } from './ui';

/** A page section backed by one GET: spinner, "not available yet", API error, or the content. */
export function Section<T>(props: {
  title: string;
  id: string;
  what: string;
  state: { data: T | undefined; error: unknown; loading: boolean };
  actions?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { data, error, loading } = props.state;
  return (
    <section aria-labelledby={props.id} className="section">
      <div className="section-head">
        <h2 id={props.id}>{props.title}</h2>
        {props.actions}
      </div>
      {error instanceof ApiFailure && error.notAvailable ? (
        <NotAvailable what={props.what} />
      ) : error ? (
        <ErrorBox error={error} />
      ) : data === undefined || (loading && data === undefined) ? (
        <Spinner label={`Loading ${props.title.toLowerCase()}…`} />
      ) : (
        props.children(data)
      )}
    </section>
  );
}
