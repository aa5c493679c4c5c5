import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServerSpecSchema, formatSpecIssues } from '../spec/server-spec';
import { connectionNames, issuerFromDiscoveryUrl } from './connection-scheme';
import { openApiToServerSpec } from './convert';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const doc = (securitySchemes: Record<string, unknown>, security: unknown[]) =>
  JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'Acme Notes', version: '1' },
    servers: [{ url: 'https://api.acme.test' }],
    security,
    paths: { '/notes': { get: { operationId: 'listNotes', responses: {} } } },
    components: { securitySchemes },
  });

describe('an oauth2 authorizationCode scheme becomes a per-user connection', () => {
  const text = fixture('github-oauth-3.0.yaml');

  it('declares the connection with the flow endpoints, the document title and an empty client id', async () => {
    const { spec } = await openApiToServerSpec(text);
    expect(spec.connections).toEqual([
      {
        name: 'github',
        title: 'GitHub',
        authorizationUrl: 'https://github.com/login/oauth/authorize',
        tokenUrl: 'https://github.com/login/oauth/access_token',
        scopes: ['read:user', 'repo', 'gist'],
        clientId: '',
        clientSecret: 'GITHUB_CLIENT_SECRET',
      },
    ]);
    expect(spec.secrets).toEqual([
      { name: 'GITHUB_CLIENT_SECRET', description: expect.stringContaining('"github" connection') },
    ]);
  });

  it("sends each user's connection token from every operation that requires the scheme", async () => {
    const { spec } = await openApiToServerSpec(text);
    const bearer = 'Bearer {{connections.github.access_token}}';
    for (const name of ['getAuthenticatedUser', 'listIssues', 'createIssue', 'createGist']) {
      expect(spec.tools.find((t) => t.name === name)?.http.headers).toMatchObject({
        Authorization: bearer,
      });
    }
    expect(spec.tools.find((t) => t.name === 'getZen')?.http.headers ?? {}).not.toHaveProperty(
      'Authorization',
    );
  });

  it('asks only for the scopes the selected operations require', async () => {
    const { spec } = await openApiToServerSpec(text, {
      operations: ['getAuthenticatedUser', 'getZen'],
    });
    expect(spec.connections?.[0]?.scopes).toEqual(['read:user']);
  });

  it('declares no connection when no selected operation requires it', async () => {
    const { spec } = await openApiToServerSpec(text, { operations: ['getZen'] });
    expect(spec.connections).toBeUndefined();
    expect(spec.secrets).toEqual([]);
  });

  it('says clearly that the client id must be filled in, and the spec is invalid until then', async () => {
    const { spec, warnings } = await openApiToServerSpec(text);
    expect(warnings.join('\n')).toMatch(
      /Connection "github".*redirect URI.*client ID.*GITHUB_CLIENT_SECRET.*cannot be built until the client ID is filled in/,
    );
    const parsed = ServerSpecSchema.safeParse(spec);
    expect(parsed.success).toBe(false);
    expect(formatSpecIssues(parsed.error!)).toEqual([
      { path: 'connections.0.clientId', message: expect.stringMatching(/client ID/i) },
    ]);
    const filled = { ...spec, connections: [{ ...spec.connections![0]!, clientId: 'Iv1.abc' }] };
    expect(ServerSpecSchema.safeParse(filled).success).toBe(true);
  });
});

describe('other OAuth schemes', () => {
  it('turns an openIdConnect scheme into a connection with the discovery document issuer', async () => {
    const { spec } = await openApiToServerSpec(
      doc(
        {
          AcmeSSO: {
            type: 'openIdConnect',
            openIdConnectUrl: 'https://login.acme.test/tenant1/.well-known/openid-configuration',
          },
        },
        [{ AcmeSSO: ['openid', 'notes.read'] }],
      ),
    );
    expect(spec.connections).toEqual([
      {
        name: 'acme',
        title: 'Acme Notes',
        issuer: 'https://login.acme.test/tenant1',
        scopes: ['openid', 'notes.read'],
        clientId: '',
        clientSecret: 'ACME_CLIENT_SECRET',
      },
    ]);
    expect(spec.tools[0]?.http.headers).toMatchObject({
      Authorization: 'Bearer {{connections.acme.access_token}}',
    });
  });

  it('keeps a clientCredentials-only oauth2 scheme as one shared token secret', async () => {
    const { spec } = await openApiToServerSpec(
      doc(
        {
          machine: {
            type: 'oauth2',
            flows: { clientCredentials: { tokenUrl: 'https://acme.test/token', scopes: {} } },
          },
        },
        [{ machine: [] }],
      ),
    );
    expect(spec.connections).toBeUndefined();
    expect(spec.tools[0]?.http.headers).toMatchObject({
      Authorization: 'Bearer {{secrets.MACHINE_TOKEN}}',
    });
  });

  it('refuses an authorizationCode flow with a relative token URL, naming the scheme', async () => {
    const { operations } = await openApiToServerSpec(
      doc(
        {
          oauth: {
            type: 'oauth2',
            flows: {
              authorizationCode: { authorizationUrl: 'https://acme.test/a', tokenUrl: '/token' },
            },
          },
        },
        [{ oauth: [] }, {}],
      ),
    );
    // The empty alternative (no auth) is taken instead of a broken connection.
    expect(operations[0]).toMatchObject({ supported: true });
    await expect(
      openApiToServerSpec(
        doc(
          {
            oauth: {
              type: 'oauth2',
              flows: {
                authorizationCode: { authorizationUrl: 'https://acme.test/a', tokenUrl: '/token' },
              },
            },
          },
          [{ oauth: [] }],
        ),
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('absolute authorizationUrl') });
  });

  it('names connections from the scheme, falling back to the title, unique per document', () => {
    const names = connectionNames(
      {
        GoogleOAuth2: { type: 'oauth2' },
        oauth2: { type: 'oauth2' },
        'google-auth': { type: 'openIdConnect' },
        key: { type: 'apiKey' },
      },
      'Acme Notes',
    );
    expect([...names]).toEqual([
      ['GoogleOAuth2', 'google'],
      ['oauth2', 'acme'],
      ['google-auth', 'google_2'],
    ]);
  });

  it('reads the issuer from OpenID and RFC 8414 discovery URLs only', () => {
    expect(issuerFromDiscoveryUrl('https://id.example/.well-known/openid-configuration')).toBe(
      'https://id.example',
    );
    expect(
      issuerFromDiscoveryUrl('https://id.example/.well-known/oauth-authorization-server/t1'),
    ).toBe('https://id.example/t1');
    expect(issuerFromDiscoveryUrl('https://id.example/config.json')).toBeUndefined();
    expect(issuerFromDiscoveryUrl('/.well-known/openid-configuration')).toBeUndefined();
  });
});
