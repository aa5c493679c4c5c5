// The OAuth 2.1 Authorization Server (docs/oauth.md): every path it answers, in one table. Its
// errors are OAuthError (RFC bodies, lib/oauth/errors.ts); /authorize and /consent render pages.
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../app-env';
import { connectionCallback } from './connections/callback';
import { startConnection } from './connections/connect';
import { authorize, consent } from './endpoints/authorize';
import { introspect } from './endpoints/introspect';
import { jwks, serverMetadata } from './endpoints/metadata';
import { register, registrationPrincipal } from './endpoints/register';
import { revoke } from './endpoints/revoke';
import { token } from './endpoints/token';

// Browser-based MCP clients call the machine endpoints cross-origin, without cookies.
const oauthCors = cors({
  origin: '*',
  allowHeaders: ['authorization', 'content-type', 'mcp-protocol-version'],
  maxAge: 86400,
});

export const authorizationServer = new Hono<AppEnv>();

for (const path of ['/.well-known/*', '/token', '/register', '/revoke', '/introspect']) {
  authorizationServer.use(path, oauthCors);
}

authorizationServer
  .get('/.well-known/oauth-authorization-server', serverMetadata) // RFC 8414 §3
  .get('/.well-known/openid-configuration', serverMetadata) // same OAuth fields, for clients that try it first
  .get('/.well-known/jwks.json', jwks)
  .get('/authorize', authorize) // OAuth 2.1 §4.1.1
  .post('/consent', consent)
  .post('/token', token) // OAuth 2.1 §3.2
  .post('/register', registrationPrincipal, register) // RFC 7591
  .post('/revoke', revoke) // RFC 7009
  .post('/introspect', introspect) // RFC 7662
  // Per-user connections (docs/connections.md): Moat as the OAuth client of a downstream provider.
  .get('/connections/callback', connectionCallback) // RFC 6749 §4.1.2, RFC 9207
  .get('/connections/:serverId/:name/connect', startConnection);
