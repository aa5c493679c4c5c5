// Docs topic — Self-hosting and deploy.
import { Code } from '../../ui';

export function SelfHosting() {
  return (
    <>
      <p>Moat runs on your own Cloudflare account, or entirely on your machine.</p>
      <Code label="Local">
        {'npm install\nnpm start   # auth + dashboard on :8787, runner on :8788'}
      </Code>
      <Code label="Deploy">
        {
          'npx wrangler login\nnpm run deploy -- --issuer https://auth.example.com --runner-origin https://mcp.example.com'
        }
      </Code>
      <p>
        The dashboard is served by the auth Worker (static assets) or by Cloudflare Pages with a
        small proxy worker that keeps <code>/v1</code>, <code>/api</code> and the OAuth pages on the
        same origin. See <code>docs/deploy.md</code> in the repository.
      </p>
    </>
  );
}
