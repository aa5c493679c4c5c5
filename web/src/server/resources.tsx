// The server page's resources, resource templates and prompts: what each is and the scopes a
// token needs to see it. Nothing is shown for a server that declares none of them.
import { readScopes } from '../../../lib/spec/scopes';
import type { ServerSpecInput } from '../../../lib/spec/server-spec';

type Row = {
  key: string;
  name: string;
  description?: string | undefined;
  what: string;
  scopes: string[];
};

function rows(spec: ServerSpecInput): Row[] {
  return [
    ...(spec.resources ?? []).map((r) => ({
      key: `r:${r.uri}`,
      name: r.name,
      description: r.description,
      what: `Resource ${r.uri} (${r.mimeType})`,
      scopes: readScopes(r),
    })),
    ...(spec.resourceTemplates ?? []).map((t) => ({
      key: `t:${t.uriTemplate}`,
      name: t.name,
      description: t.description,
      what: `Template ${t.uriTemplate} → ${t.http.method} ${t.http.url}`,
      scopes: readScopes(t),
    })),
    ...(spec.prompts ?? []).map((p) => ({
      key: `p:${p.name}`,
      name: p.name,
      description: p.description,
      what: `Prompt (${(p.arguments ?? []).map((a) => (a.required ? a.name : `${a.name}?`)).join(', ') || 'no arguments'})`,
      scopes: readScopes(p),
    })),
  ];
}

export function ServerResources({ spec }: { spec: ServerSpecInput | undefined }) {
  const list = spec ? rows(spec) : [];
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="resources" className="section">
      <h2 id="resources">Resources and prompts</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">What</th>
              <th scope="col">Scopes</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.key} data-testid="server-resource">
                <td>
                  <code>{r.name}</code>
                  {r.description && <div className="small muted">{r.description}</div>}
                </td>
                <td>
                  <code className="small">{r.what}</code>
                </td>
                <td>
                  {r.scopes.map((sc) => (
                    <code key={sc} className="code-tag">
                      {sc}
                    </code>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
