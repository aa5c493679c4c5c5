// The one D1 schema. `npm run db:generate` turns changes here into a reviewed SQL migration.
// Times are Unix epoch milliseconds. Secrets, codes and tokens are stored only as hashes or
// ciphertext; see docs/storage.md for what each column holds.
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

export const users = sqliteTable('users', {
  id: text('id').primaryKey(), // usr_…
  email: text('email').notNull().unique(), // normalized: trimmed, lowercased
  name: text('name'),
  passwordHash: text('password_hash').notNull(), // pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(), // SHA-256 (hex) of the cookie value; the cookie itself is never stored
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const orgs = sqliteTable('orgs', {
  id: text('id').primaryKey(), // org_…
  name: text('name').notNull(),
  personal: integer('personal', { mode: 'boolean' }).notNull().default(false),
  plan: text('plan', { enum: ['free', 'team', 'enterprise'] })
    .notNull()
    .default('free'),
  createdAt: integer('created_at').notNull(),
});

export const members = sqliteTable(
  'members',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index('members_user_idx').on(t.userId)],
);

export const invites = sqliteTable(
  'invites',
  {
    id: text('id').primaryKey(), // inv_…
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ['admin', 'member'] }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: text('invited_by').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    acceptedAt: integer('accepted_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('invites_org_idx').on(t.orgId)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(), // key_…
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(), // first characters of the key, safe to show
    keyHash: text('key_hash').notNull().unique(), // SHA-256 (hex) of the whole key
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_keys_org_idx').on(t.orgId)],
);

// Fixed-window counters for login throttling and DCR rate limits. Key: "<bucket>:<subject>".
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(), // time-ordered: evt_<ms base36><random>
    ts: integer('ts').notNull(),
    orgId: text('org_id'),
    actor: text('actor'), // usr_…, cl_…, key_…, or "system"
    action: text('action').notNull(), // e.g. "user.signup", "oauth.token.issued", "tool.call"
    resource: text('resource'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_org_ts_idx').on(t.orgId, t.ts),
    index('audit_action_idx').on(t.action),
    index('audit_resource_idx').on(t.resource),
  ],
);

export const oauthClients = sqliteTable(
  'oauth_clients',
  {
    id: text('id').primaryKey(), // cl_… for DCR, the https URL for CIMD
    kind: text('kind', { enum: ['dcr', 'cimd'] }).notNull(),
    name: text('name'),
    metadata: text('metadata', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    redirectUris: text('redirect_uris', { mode: 'json' }).notNull().$type<string[]>(),
    tokenEndpointAuthMethod: text('token_endpoint_auth_method').notNull(),
    grantTypes: text('grant_types', { mode: 'json' }).notNull().$type<string[]>(),
    secretHash: text('secret_hash'),
    // The account that registered it with an API key or session (RFC 7591 §3 initial access);
    // only owned confidential clients may use client_credentials, with their owner's access.
    ownerUserId: text('owner_user_id'),
    // Machine clients are bound to the org and the API key that registered them: revoking the key
    // revokes the client, and it acts only on that org's servers (docs/oauth.md "Machine clients").
    ownerOrgId: text('owner_org_id'),
    ownerApiKeyId: text('owner_api_key_id'),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    expiresAt: integer('expires_at'), // unused DCR registrations and CIMD cache entries expire
    fetchedAt: integer('fetched_at'), // CIMD: when the metadata document was last fetched
  },
  // An org's clients, and the clients an API key registered (revoked with the key).
  (t) => [index('oauth_clients_owner_idx').on(t.ownerOrgId, t.ownerApiKeyId)],
);

export const authCodes = sqliteTable('auth_codes', {
  codeHash: text('code_hash').primaryKey(),
  clientId: text('client_id').notNull(),
  userId: text('user_id').notNull(),
  serverId: text('server_id').notNull(),
  redirectUri: text('redirect_uri').notNull(),
  codeChallenge: text('code_challenge').notNull(),
  resource: text('resource').notNull(),
  scope: text('scope').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  grantId: text('grant_id'), // set at redemption, so a second redemption can revoke what it issued
});

// A grant is one authorization of a client by a user for one server; refresh tokens form its family.
export const grants = sqliteTable(
  'grants',
  {
    id: text('id').primaryKey(), // gr_…
    userId: text('user_id'), // null for client_credentials
    clientId: text('client_id').notNull(),
    serverId: text('server_id').notNull(),
    resource: text('resource').notNull(),
    scope: text('scope').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'), // absolute lifetime of the refresh family
    lastTokenAt: integer('last_token_at'),
    lastRefreshAt: integer('last_refresh_at'),
    revokedAt: integer('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    index('grants_user_idx').on(t.userId),
    index('grants_server_idx').on(t.serverId),
    // A revoked or deleted client's grants (revokeClientsStatements).
    index('grants_client_idx').on(t.clientId),
  ],
);

export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    grantId: text('grant_id')
      .notNull()
      .references(() => grants.id, { onDelete: 'cascade' }),
    clientId: text('client_id').notNull(),
    createdAt: integer('created_at').notNull(),
    idleExpiresAt: integer('idle_expires_at').notNull(),
    usedAt: integer('used_at'), // set when rotated; a later use is reuse
    replacedBy: text('replaced_by'), // token_hash of its successor, set by the rotation that won
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('refresh_grant_idx').on(t.grantId)],
);

export const consents = sqliteTable(
  'consents',
  {
    userId: text('user_id').notNull(),
    clientId: text('client_id').notNull(),
    serverId: text('server_id').notNull(),
    scope: text('scope').notNull(), // space-separated, sorted
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clientId, t.serverId] })],
);

export const servers = sqliteTable(
  'servers',
  {
    id: text('id').primaryKey(), // srv_…
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    visibility: text('visibility', { enum: ['private', 'org', 'public'] }).notNull(),
    currentVersion: integer('current_version'), // the published version the runner serves
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('servers_slug_idx').on(t.slug), index('servers_org_idx').on(t.orgId)],
);

export const serverVersions = sqliteTable(
  'server_versions',
  {
    serverId: text('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    spec: text('spec', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.version] })],
);

// Envelope encryption: `ciphertext` is AES-GCM under a per-secret data key; `wrappedKey` is that
// data key wrapped by MASTER_KEY version `keyVersion`.
export const secrets = sqliteTable(
  'secrets',
  {
    serverId: text('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    ciphertext: text('ciphertext').notNull(),
    iv: text('iv').notNull(),
    wrappedKey: text('wrapped_key').notNull(),
    keyVersion: integer('key_version').notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.name] })],
);

export const builds = sqliteTable(
  'builds',
  {
    id: text('id').primaryKey(), // bld_…
    serverId: text('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    orgId: text('org_id').notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull(),
    spec: text('spec', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    options: text('options', { mode: 'json' }).$type<Record<string, unknown>>(),
    log: text('log', { mode: 'json' }).$type<unknown[]>(),
    version: integer('version'), // the version it published, when it succeeded
    error: text('error'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [index('builds_server_idx').on(t.serverId)],
);

// Access tokens are verified offline at the runner; this list is how revocation reaches it
// (docs/runner.md "Revocation"). A row revokes every token that matches all of its non-null
// columns and was issued before `issuedBefore`. `id` only grows, so a runner reads what is new
// since the last id it saw. A row is dropped once no token it matches can still be alive.
export const tokenRevocations = sqliteTable(
  'token_revocations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    serverId: text('server_id'),
    orgId: text('org_id'),
    sub: text('sub'),
    clientId: text('client_id'),
    grantId: text('grant_id'),
    issuedBefore: integer('issued_before').notNull(),
    expiresAt: integer('expires_at').notNull(),
    reason: text('reason').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('token_revocations_expires_idx').on(t.expiresAt)],
);

// The one-row claim on the platform's first signing key (docs/oauth.md "Keys"). KV has no
// compare-and-set, so isolates that all see no key in KV would each create one; the primary key
// lets exactly one claim win, and `record` (the key record, its private JWK sealed under
// MASTER_KEY) lets every other isolate sign with the winner.
export const firstSigningKey = sqliteTable('first_signing_key', {
  slot: text('slot').primaryKey(), // always 'first'
  kid: text('kid').notNull(),
  record: text('record').notNull(),
  createdAt: integer('created_at').notNull(),
});

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Org = typeof orgs.$inferSelect;
export type Member = typeof members.$inferSelect;
export type Invite = typeof invites.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type OAuthClient = typeof oauthClients.$inferSelect;
export type AuthCode = typeof authCodes.$inferSelect;
export type Grant = typeof grants.$inferSelect;
export type RefreshToken = typeof refreshTokens.$inferSelect;
export type Consent = typeof consents.$inferSelect;
export type Server = typeof servers.$inferSelect;
export type ServerVersion = typeof serverVersions.$inferSelect;
export type Secret = typeof secrets.$inferSelect;
export type Build = typeof builds.$inferSelect;
export type TokenRevocation = typeof tokenRevocations.$inferSelect;

// Per-user downstream OAuth connections (issue 13, docs/connections.md): one row per (server,
// user, connection name). The provider's token pair is one envelope (lib/crypto/envelope.ts): the
// sealed JSON `{ access_token, refresh_token?, token_type? }`, its AAD binding it to this row's
// server, user and name. `generation` grows on every write of the pair, so a refresh stores its
// rotated pair with a compare-and-set and two refreshes can't both win.
export const userConnections = sqliteTable(
  'user_connections',
  {
    id: text('id').primaryKey(), // con_…
    serverId: text('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(), // the ServerSpec connection's name
    status: text('status', { enum: ['active', 'reconnect_needed', 'revoked'] }).notNull(),
    statusReason: text('status_reason'), // why reconnect is needed, in words; never a token
    scope: text('scope'), // what the provider granted (RFC 6749 §5.1), space-separated
    ciphertext: text('ciphertext').notNull(),
    iv: text('iv').notNull(),
    wrappedKey: text('wrapped_key').notNull(),
    keyVersion: integer('key_version').notNull(),
    generation: integer('generation').notNull(),
    accessExpiresAt: integer('access_expires_at'), // null: the provider gave no expires_in
    lastRefreshedAt: integer('last_refreshed_at'),
    lastUsedAt: integer('last_used_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('user_connections_server_user_name_idx').on(t.serverId, t.userId, t.name),
    index('user_connections_user_idx').on(t.userId),
  ],
);

// A provider authorization in flight (RFC 6749 §4.1 with PKCE, RFC 7636): keyed by the hash of
// the `state` sent to the provider, bound to the signed-in user, single use (`usedAt` is claimed
// with a compare-and-set) and short-lived. `codeVerifier` is sealed like a secret. `resume` is the
// MCP client's pending authorization request to finish once every connection is linked (its
// parameters only, no secrets: a PKCE challenge is not one).
export const connectionFlows = sqliteTable(
  'connection_flows',
  {
    stateHash: text('state_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    serverId: text('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    codeVerifier: text('code_verifier', { mode: 'json' }).notNull().$type<{
      ciphertext: string;
      iv: string;
      wrappedKey: string;
      keyVersion: number;
    }>(),
    resume: text('resume', { mode: 'json' }).$type<Record<string, unknown>>(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('connection_flows_expires_idx').on(t.expiresAt)],
);

export type UserConnection = typeof userConnections.$inferSelect;
export type ConnectionFlow = typeof connectionFlows.$inferSelect;

// Connection health (issue 15, docs/observability.md "Connection health"): one row per (server,
// OAuth client). The AS writes the token columns inside the token grant's own db.batch; the
// runner writes last use, 401s and 403s after its response, at most once per client, status and
// interval per isolate. The verdict is computed on read (lib/observability/client-health.ts).
export const clientHealth = sqliteTable(
  'client_health',
  {
    serverId: text('server_id').notNull(),
    clientId: text('client_id').notNull(),
    firstTokenAt: integer('first_token_at'),
    lastTokenAt: integer('last_token_at'),
    lastRefreshAt: integer('last_refresh_at'),
    refreshCount: integer('refresh_count').notNull().default(0),
    authorizationCount: integer('authorization_count').notNull().default(0),
    lastUsedAt: integer('last_used_at'), // last request the runner accepted
    last401At: integer('last_401_at'),
    last401Reason: text('last_401_reason'), // expired, revoked, wrong_audience, … (never a token)
    recent401Count: integer('recent_401_count').notNull().default(0), // since the last accepted use
    last403At: integer('last_403_at'),
    last403Scope: text('last_403_scope'),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.clientId] })],
);

// The connection recorder (docs/observability.md "Connection recorder"): each step of an
// authorization attempt as one row, grouped into attempts on read. Nothing secret: no tokens,
// codes, verifiers, secrets or `state`; `requester` is a hash of the address and user agent.
// Rows older than 7 days are deleted by the sweep.
export const connectionEvents = sqliteTable(
  'connection_events',
  {
    id: text('id').primaryKey(), // cev_… (time-ordered)
    serverId: text('server_id'), // null until it can be attributed
    clientId: text('client_id'),
    requester: text('requester'),
    attemptKey: text('attempt_key'), // hash of client_id + PKCE challenge: one authorization
    grantId: text('grant_id'),
    step: text('step').notNull(),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    detail: text('detail', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    at: integer('at').notNull(),
  },
  (t) => [
    index('connection_events_server_idx').on(t.serverId, t.at),
    index('connection_events_client_idx').on(t.clientId, t.at),
    index('connection_events_requester_idx').on(t.requester, t.at),
    index('connection_events_at_idx').on(t.at),
  ],
);

export type ClientHealth = typeof clientHealth.$inferSelect;
export type ConnectionEvent = typeof connectionEvents.$inferSelect;
// Tool-call metrics (issue 15, docs/observability.md): one row per minute × server × version ×
// tool × client, added to by the runner's per-isolate buffer with UPSERTs (never a write on the
// call's path). `h0`…`h23` count calls per latency bucket of lib/metrics/latency-histogram.ts
// (fixed bounds, so rows merge by summing). No foreign key to servers: a flush racing a server's
// deletion must not fail the whole batch; the server's rows go with its DELETE and old rows with
// the retention purge (8 days).
const latencyBucketColumns = () =>
  Object.fromEntries(
    Array.from({ length: 24 }, (_, i) => [`h${i}`, integer(`h${i}`).notNull().default(0)]),
  ) as Record<`h${number}`, ReturnType<typeof integer>>;

export const toolMetrics = sqliteTable(
  'tool_metrics',
  {
    serverId: text('server_id').notNull(),
    minute: integer('minute').notNull(), // epoch ms of the minute's start (UTC)
    version: integer('version').notNull(),
    tool: text('tool').notNull(),
    clientId: text('client_id').notNull(),
    calls: integer('calls').notNull().default(0),
    errors: integer('errors').notNull().default(0),
    errDownstream4xx: integer('err_downstream_4xx').notNull().default(0),
    errDownstream5xx: integer('err_downstream_5xx').notNull().default(0),
    errTimeout: integer('err_timeout').notNull().default(0),
    errScopeRefused: integer('err_scope_refused').notNull().default(0),
    errInvalidArguments: integer('err_invalid_arguments').notNull().default(0),
    errOther: integer('err_other').notNull().default(0),
    latencyMsSum: integer('latency_ms_sum').notNull().default(0),
    ...latencyBucketColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.serverId, t.minute, t.version, t.tool, t.clientId] }),
    index('tool_metrics_minute_idx').on(t.minute),
  ],
);

export type ToolMetricRow = typeof toolMetrics.$inferSelect;

// A server's alert webhook (issue 15, docs/observability.md "Alerts"): one per server. The HMAC
// secret that signs each delivery is sealed like a server secret (AES-GCM envelope under
// MASTER_KEY, AAD `alert:<serverId>`) because the runner must read it to sign; it is shown once.
export const serverAlerts = sqliteTable('server_alerts', {
  serverId: text('server_id')
    .primaryKey()
    .references(() => servers.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  ciphertext: text('ciphertext').notNull(),
  iv: text('iv').notNull(),
  wrappedKey: text('wrapped_key').notNull(),
  keyVersion: integer('key_version').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export type ServerAlert = typeof serverAlerts.$inferSelect;
