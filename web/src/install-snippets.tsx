import { useId } from 'react';
import { installSnippets, type Snippet } from './snippets';
import { Code, CopyButton } from './ui';

/** The server's snippets, or a toolset's (`snippets` from toolsetSnippets, with its own heading). */
export function InstallSnippets({
  name,
  slug,
  url,
  heading = 'Connect a client',
  snippets,
}: {
  name: string;
  slug: string;
  url: string;
  heading?: string;
  snippets?: Snippet[];
}) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <div className="mcp-url">
        <span className="muted">MCP URL</span>
        <code data-testid="mcp-url">{url}</code>
        <CopyButton text={url} label="Copy URL" />
      </div>
      <div className="snippets">
        {(snippets ?? installSnippets(name, slug, url)).map((s) => (
          <div key={s.id} className="card snippet">
            <h3>{s.client}</h3>
            <p className="muted">{s.how}</p>
            <Code label={s.client}>{s.code}</Code>
            {s.link && (
              <a className="btn btn-small" href={s.link}>
                Open in {s.client}
              </a>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}
