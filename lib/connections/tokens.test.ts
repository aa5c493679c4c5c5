import { describe, expect, it } from 'vitest';
import { metadataUrls } from './provider-metadata';
import { assertProviderUrl } from './provider-fetch';
import { openTokenPair, sealTokenPair } from './tokens';
import { connectionCallbackUrl, connectionConnectUrl } from './urls';

const MASTER = 'dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMtISE=';
const KEY = { serverId: 'srv_a', userId: 'usr_a', name: 'github' };
const PAIR = { access_token: 'gho_access', refresh_token: 'ghr_refresh', token_type: 'bearer' };

describe('connection token pairs at rest', () => {
  it('round-trips a pair and never stores a token in clear', async () => {
    const env = await sealTokenPair(MASTER, KEY, PAIR);
    expect(JSON.stringify(env)).not.toContain('gho_access');
    expect(JSON.stringify(env)).not.toContain('ghr_refresh');
    expect(await openTokenPair(MASTER, KEY, env)).toEqual(PAIR);
  });

  it.each([
    ['server', { ...KEY, serverId: 'srv_b' }],
    ['user', { ...KEY, userId: 'usr_b' }],
    ['connection', { ...KEY, name: 'gitlab' }],
  ])('refuses to open a pair moved to another %s', async (_, other) => {
    const env = await sealTokenPair(MASTER, KEY, PAIR);
    await expect(openTokenPair(MASTER, other, env)).rejects.toThrow();
  });
});

describe('provider metadata locations', () => {
  it('tries RFC 8414 (path-inserted) before OpenID Connect Discovery (appended)', () => {
    expect(metadataUrls('https://idp.example/tenant')).toEqual([
      'https://idp.example/.well-known/oauth-authorization-server/tenant',
      'https://idp.example/tenant/.well-known/openid-configuration',
    ]);
    expect(metadataUrls('https://idp.example')).toEqual([
      'https://idp.example/.well-known/oauth-authorization-server',
      'https://idp.example/.well-known/openid-configuration',
    ]);
  });

  it('refuses plain http and private addresses unless private egress is allowed', () => {
    expect(() => assertProviderUrl('http://idp.example/token', { allowPrivate: false })).toThrow(
      /not https/,
    );
    expect(() => assertProviderUrl('https://127.0.0.1/token', { allowPrivate: false })).toThrow(
      /private/,
    );
    expect(assertProviderUrl('http://127.0.0.1:9/token', { allowPrivate: true }).port).toBe('9');
  });
});

describe('connection flow addresses', () => {
  it('names one callback per issuer and a connect link per server and connection', () => {
    expect(connectionCallbackUrl('https://auth.example/')).toBe(
      'https://auth.example/connections/callback',
    );
    expect(connectionConnectUrl('https://auth.example', 'srv_1', 'github')).toBe(
      'https://auth.example/connections/srv_1/github/connect',
    );
  });
});
