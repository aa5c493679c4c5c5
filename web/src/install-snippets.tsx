import { installSnippets } from './snippets';
import { Code, CopyButton } from './ui';

export function InstallSnippets({ name, slug, url }: { name: string; slug: string; url: string }) {
  return (
    <section aria-labelledby="install">
      <h2 id="install">Connect a client</h2>
      <div className="mcp-url">
        <span className="muted">MCP URL</span>
        <code data-testid="mcp-url">{url}</code>
        <CopyButton text={url} label="Copy URL" />
      </div>
      <div className="snippets">
        {installSnippets(name, slug, url).map((s) => (
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
