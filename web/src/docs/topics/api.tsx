// Docs topic — API reference: rendered from /api/openapi.json.
import { Suspense, lazy } from 'react';
import { Code, Spinner } from '../../ui';

const ApiReference = lazy(() =>
  import('../api-reference').then((m) => ({ default: m.ApiReference })),
);

const origin = location.origin;

export function ApiTopic() {
  return (
    <>
      <p>
        Base URL <code>{origin}</code>. Authenticate with the session cookie (the dashboard; unsafe
        methods need a same-origin <code>Origin</code> and <code>x-csrf-token</code>) or{' '}
        <code>Authorization: Bearer moat_sk_…</code>. Errors are{' '}
        <code>{'{"error":{"code","message"}}'}</code> with the right status; a{' '}
        <code>503 storage_unavailable</code> means nothing was written, so retry after its{' '}
        <code>Retry-After</code> seconds. Every body and error code is in the repository's{' '}
        <code>docs/api.md</code>; the table below is rendered from <code>/api/openapi.json</code>,
        the machine-readable reference.
      </p>
      <Suspense fallback={<Spinner label="Loading the API reference…" />}>
        <ApiReference />
      </Suspense>
      <Code label="Example">{`$ curl -s ${origin}/v1/servers -H "Authorization: Bearer $MOAT_API_KEY"`}</Code>
    </>
  );
}
