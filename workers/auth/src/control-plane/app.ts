// The control-plane API (docs/api.md): every /v1 path with its handler, in one table. Its errors
// are ApiError ({"error":{"code","message"}}, lib/http/api-error.ts). Every path reads the
// caller (session cookie, API key or control-plane token) and checks CSRF for cookie writes;
// `requireUser` marks the ones that need a caller.
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { csrfProtect } from '../middleware/csrf';
import { loadPrincipal, requireUser } from '../middleware/session';
import * as account from './account';
import * as apiKeys from './api-keys';
import * as audit from './audit';
import * as clients from './clients';
import * as connectedApps from './connected-apps';
import * as connections from './connections';
import * as invites from './invites';
import { me } from './me';
import * as org from './org';
import * as signingKeys from './signing-keys';
import * as builds from './servers/builds';
import * as serverConnections from './servers/connections';
import * as grants from './servers/grants';
import * as preview from './servers/preview';
import * as secrets from './servers/secrets';
import * as servers from './servers/servers';

export const controlPlane = new Hono<AppEnv>();

controlPlane.use('/v1/*', loadPrincipal, csrfProtect);

controlPlane
  // Account (DESIGN §3 "Account API")
  .post('/v1/auth/signup', account.signup)
  .post('/v1/auth/login', account.login)
  .post('/v1/auth/logout', requireUser, account.logout)
  .get('/v1/me', requireUser, me)
  .get('/v1/me/grants', requireUser, connectedApps.list)
  .delete('/v1/me/grants/:id', requireUser, connectedApps.revoke)
  .get('/v1/me/connections', requireUser, connections.list) // docs/connections.md
  .delete('/v1/me/connections/:id', requireUser, connections.remove)
  .post('/v1/invites/accept', requireUser, invites.accept)
  // The caller's organization
  .get('/v1/me/org', requireUser, org.get)
  .post('/v1/me/org/invites', requireUser, org.invite)
  .delete('/v1/me/org/invites/:id', requireUser, org.cancelInvite)
  .patch('/v1/me/org/members/:userId', requireUser, org.setRole)
  .delete('/v1/me/org/members/:userId', requireUser, org.remove)
  .post('/v1/api-keys', requireUser, apiKeys.create)
  .get('/v1/api-keys', requireUser, apiKeys.list)
  .delete('/v1/api-keys/:id', requireUser, apiKeys.revoke)
  .get('/v1/clients', requireUser, clients.list)
  .delete('/v1/clients/:id', requireUser, clients.revoke)
  .get('/v1/audit', requireUser, audit.list)
  // Servers (DESIGN §3 "Servers"); `preview` is a literal segment, not an `:id`
  .post('/v1/servers/preview', requireUser, preview.describe)
  .get('/v1/slugs/:slug', requireUser, preview.slug)
  .post('/v1/servers', requireUser, servers.create)
  .get('/v1/servers', requireUser, servers.list)
  .get('/v1/servers/:id', requireUser, servers.get)
  .patch('/v1/servers/:id', requireUser, servers.update)
  .delete('/v1/servers/:id', requireUser, servers.remove)
  .get('/v1/servers/:id/versions', requireUser, servers.versions)
  .get('/v1/servers/:id/versions/:version', requireUser, servers.version)
  .get('/v1/servers/:id/secrets', requireUser, secrets.list)
  .put('/v1/servers/:id/secrets/:name', requireUser, secrets.put)
  .delete('/v1/servers/:id/secrets/:name', requireUser, secrets.remove)
  .get('/v1/servers/:id/grants', requireUser, grants.list)
  .get('/v1/servers/:id/connections', requireUser, serverConnections.list)
  .delete('/v1/servers/:id/grants/:grantId', requireUser, grants.revoke)
  .get('/v1/schemas/server-spec.json', servers.serverSpecSchema)
  // Builds (wizard step 3); the log is a WebSocket from the build's Durable Object
  .post('/v1/builds', requireUser, builds.startNew)
  .post('/v1/servers/:id/builds', requireUser, builds.startForServer)
  .get('/v1/servers/:id/builds', requireUser, builds.listForServer)
  .get('/v1/builds/:id', requireUser, builds.get)
  .get('/v1/builds/:id/log', requireUser, builds.log)
  // Platform operator
  .get('/v1/signing-keys', requireUser, signingKeys.requireOperator, signingKeys.get)
  .post('/v1/signing-keys/rotate', requireUser, signingKeys.requireOperator, signingKeys.rotate);
