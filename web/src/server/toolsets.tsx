// The server page's toolsets (issue 14): each one's URL — a protected resource of its own, with its
// own consent and tokens — what it serves, the scopes its tokens carry, and its install snippets.
// Nothing is shown for a server without toolsets.
import { useState } from 'react';
import { narrowToToolset } from '../../../lib/spec/narrow-to-toolset';
import { serverScopes, type ServerSpec } from '../../../lib/spec/server-spec';
import { InstallSnippets } from '../install-snippets';
import { toolsetSnippets, toolsetUrl } from '../snippets';
import { CopyButton } from '../ui';

export function ServerToolsets(props: {
  spec: ServerSpec | undefined;
  server: { name: string; slug: string; url: string };
}) {
  const [open, setOpen] = useState<string>();
  const toolsets = props.spec?.toolsets ?? [];
  if (!props.spec || toolsets.length === 0) return null;
  const spec = props.spec;
  return (
    <section aria-labelledby="toolsets" className="section">
      <h2 id="toolsets">
        Toolsets <span className="muted">({toolsets.length})</span>
      </h2>
      <p className="muted small">
        Each toolset is its own MCP server URL with only its tools: a client connected to one sees,
        and gets a token for, nothing else.
      </p>
      <ol className="tool-list">
        {toolsets.map((t) => {
          const url = toolsetUrl(props.server.url, t.name);
          const narrowed = narrowToToolset(spec, t.name);
          return (
            <li key={t.name} className="card tool" data-testid="toolset">
              <div className="tool-head">
                <strong>{t.title ?? t.name}</strong>{' '}
                <span className="muted small">
                  {t.tools.length} tool{t.tools.length === 1 ? '' : 's'}
                  {t.mode ? ` · ${t.mode} mode` : ''}
                </span>
              </div>
              {t.description && <p className="small">{t.description}</p>}
              <div className="mcp-url">
                <code data-testid="toolset-url">{url}</code>
                <CopyButton text={url} label="Copy URL" />
                <button
                  type="button"
                  className="btn btn-small"
                  aria-expanded={open === t.name}
                  onClick={() => setOpen(open === t.name ? undefined : t.name)}
                >
                  {open === t.name ? 'Hide install snippets' : 'Install snippets'}
                </button>
              </div>
              <p className="small">
                {t.tools.map((name) => (
                  <code key={name} className="code-tag">
                    {name}
                  </code>
                ))}
              </p>
              {narrowed && (
                <p className="small muted">
                  Scopes:{' '}
                  {serverScopes(narrowed).map((s) => (
                    <code key={s} className="code-tag">
                      {s}
                    </code>
                  ))}
                </p>
              )}
              {open === t.name && (
                <InstallSnippets
                  name={props.server.name}
                  slug={props.server.slug}
                  url={url}
                  heading={`Connect a client to ${t.title ?? t.name}`}
                  snippets={toolsetSnippets(props.server, t)}
                />
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
