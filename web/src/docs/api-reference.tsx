// The API reference, rendered from the platform's own /api/openapi.json (built from the route
// table and the zod body schemas), so it cannot drift from the routes.
import { ErrorBox, Spinner } from '../ui';
import { useApi } from '../use-api';

type BodySchema = {
  properties?: Record<string, { type?: unknown; description?: string }>;
  required?: string[];
};
type Operation = {
  tags?: string[];
  summary?: string;
  requestBody?: { content?: Record<string, { schema?: BodySchema }> };
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };
type Row = { method: string; path: string; op: Operation };

function groups(doc: OpenApi): [string, Row[]][] {
  const byTag = new Map<string, Row[]>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method: method.toUpperCase(), path, op }]);
    }
  }
  return [...byTag.entries()];
}

function BodyFields({ schema }: { schema: BodySchema | undefined }) {
  const props = Object.keys(schema?.properties ?? {});
  if (props.length === 0) return null;
  return (
    <span className="muted">
      {' '}
      Body:{' '}
      {props.map((name, i) => (
        <span key={name}>
          {i > 0 && ', '}
          <code>
            {name}
            {schema?.required?.includes(name) ? '' : '?'}
          </code>
        </span>
      ))}
    </span>
  );
}

export function ApiReference() {
  const { data, error, loading, reload } = useApi<OpenApi>('/api/openapi.json');
  if (loading && !data) return <Spinner label="Loading the API reference…" />;
  if (error || !data) {
    return (
      <>
        <ErrorBox error={error} />
        <button type="button" className="btn" onClick={() => void reload()}>
          Retry
        </button>
      </>
    );
  }
  return (
    <div data-testid="api-reference">
      {groups(data).map(([tag, rows]) => (
        <section key={tag}>
          <h3>{tag}</h3>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Method</th>
                  <th scope="col">Path</th>
                  <th scope="col">What</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ method, path, op }) => (
                  <tr key={method + path}>
                    <td>
                      <code>{method}</code>
                    </td>
                    <td>
                      <code>{path}</code>
                    </td>
                    <td>
                      {op.summary}
                      <BodyFields schema={op.requestBody?.content?.['application/json']?.schema} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </div>
  );
}
