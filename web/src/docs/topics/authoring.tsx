// Docs topic — Authoring tools: the ServerSpec, with its reference generated from the schema.
import { Suspense, lazy } from 'react';
import { Link } from '../../router';
import { Code, Spinner } from '../../ui';
import { H2 } from '../heading';
import { PrimitivesGuide } from '../primitives-guide';

const SpecReference = lazy(() =>
  import('../spec-reference').then((m) => ({ default: m.SpecReference })),
);

export function Authoring() {
  return (
    <>
      <p>
        A server is one <strong>ServerSpec</strong> (JSON). HTTP tools are declarative: URL, header
        and body templates over the arguments. <code>{'{arg}'}</code> in the URL is percent-encoded;{' '}
        <code>{'{{secrets.NAME}}'}</code> is allowed only in headers and the body, never in the URL.
        A tool may only reach the hosts listed in <code>egress</code>.
      </p>
      <p>
        For an API where each person must act as themselves (GitHub, Google, Slack…), declare a
        connection and use <code>{'{{connections.<name>.access_token}}'}</code> instead of a shared
        secret: see <Link href="/docs/connections">Per-user connections</Link>.
      </p>
      <Code label="Example">
        {JSON.stringify(
          {
            name: 'Weather',
            slug: 'weather',
            secrets: [{ name: 'API_KEY', description: 'Open-Meteo key' }],
            egress: ['api.open-meteo.com'],
            tools: [
              {
                name: 'get_forecast',
                description: 'Daily forecast for a city',
                inputSchema: {
                  type: 'object',
                  properties: { city: { type: 'string' } },
                  required: ['city'],
                },
                annotations: { readOnlyHint: true },
                http: {
                  method: 'GET',
                  url: 'https://api.open-meteo.com/v1/forecast?city={city}',
                  headers: { Authorization: 'Bearer {{secrets.API_KEY}}' },
                },
              },
            ],
          },
          null,
          2,
        )}
      </Code>
      <PrimitivesGuide />
      <H2>Toolsets</H2>
      <p>
        <code>toolsets</code> split a large server into smaller ones, each at its own URL with only
        the tools it names and its own tokens. See <Link href="/docs/toolsets">Toolsets</Link>.
      </p>
      <H2>Reference</H2>
      <p className="muted">Generated from the schema the API validates with.</p>
      <Suspense fallback={<Spinner label="Loading the reference…" />}>
        <SpecReference />
      </Suspense>
    </>
  );
}
