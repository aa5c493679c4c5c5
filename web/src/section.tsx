import type { ReactNode } from 'react';
import { ErrorBox, Spinner } from './ui';

/** A page section backed by one GET: spinner, API error, or the content. */
export function Section<T>(props: {
  title: string;
  id: string;
  state: { data: T | undefined; error: unknown };
  actions?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { data, error } = props.state;
  return (
    <section aria-labelledby={props.id} className="section">
      <div className="section-head">
        <h2 id={props.id}>{props.title}</h2>
        {props.actions}
      </div>
      {error ? (
        <ErrorBox error={error} />
      ) : data === undefined ? (
        <Spinner label={`Loading ${props.title.toLowerCase()}…`} />
      ) : (
        props.children(data)
      )}
    </section>
  );
}
