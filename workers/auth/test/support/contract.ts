// The /v1 wire contract (lib/api) as a test guard: `expectShape(Schema, body)` parses one body,
// and `checkContract` parses every /v1 answer the `api()` helper receives against the schema of
// its route, so a route that drifts from what web/ and cli/ read fails the test that called it.
import { expect } from 'vitest';
import type { z } from 'zod';
import { ApiKeyListSchema, CreatedApiKeySchema } from '../../../../lib/api/api-keys';
import { AuditPageSchema } from '../../../../lib/api/audit';
import { BuildListSchema, BuildSchema, BuildStartedSchema } from '../../../../lib/api/builds';
import { MachineClientListSchema } from '../../../../lib/api/clients';
import {
  MyConnectionListSchema,
  ServerConnectionListSchema,
} from '../../../../lib/api/connections';
import { ApiErrorBodySchema } from '../../../../lib/api/errors';
import { ConnectedAppListSchema, ServerGrantListSchema } from '../../../../lib/api/grants';
import { MeSchema, SignedInSchema } from '../../../../lib/api/me';
import {
  CreatedInviteSchema,
  InviteAcceptedSchema,
  OrgOverviewSchema,
  RoleChangedSchema,
} from '../../../../lib/api/org';
import { PreviewSchema, SlugAvailabilitySchema } from '../../../../lib/api/preview';
import { SecretListSchema, SecretSetSchema } from '../../../../lib/api/secrets';
import {
  PublishedServerSchema,
  ServerDetailSchema,
  ServerListSchema,
} from '../../../../lib/api/servers';
import { VersionListSchema, VersionSchema } from '../../../../lib/api/versions';

/** Parses `body` with `schema`, failing the test with zod's issues (path and message) if it drifts. */
export function expectShape<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    expect.fail(`response does not match the wire contract:\n  ${issues.join('\n  ')}`);
  }
  return parsed.data;
}

type Contract = { method: string; path: RegExp; status: number; schema: z.ZodType };

const ID = '[^/]+';
const route = (method: string, path: string, status: number, schema: z.ZodType): Contract => ({
  method,
  path: new RegExp(`^${path.replaceAll(':id', ID)}$`),
  status,
  schema,
});

/** Every /v1 success answer web/ and cli/ read, by method, full path and status. */
const CONTRACTS: Contract[] = [
  route('POST', '/v1/auth/signup', 201, SignedInSchema),
  route('POST', '/v1/auth/login', 200, SignedInSchema),
  route('GET', '/v1/me', 200, MeSchema),
  route('GET', '/v1/me/grants', 200, ConnectedAppListSchema),
  route('GET', '/v1/me/connections', 200, MyConnectionListSchema),
  route('GET', '/v1/me/org', 200, OrgOverviewSchema),
  route('POST', '/v1/me/org/invites', 201, CreatedInviteSchema),
  route('PATCH', '/v1/me/org/members/:id', 200, RoleChangedSchema),
  route('POST', '/v1/invites/accept', 200, InviteAcceptedSchema),
  route('GET', '/v1/api-keys', 200, ApiKeyListSchema),
  route('POST', '/v1/api-keys', 201, CreatedApiKeySchema),
  route('GET', '/v1/clients', 200, MachineClientListSchema),
  route('POST', '/v1/servers/preview', 200, PreviewSchema),
  route('GET', '/v1/slugs/:id', 200, SlugAvailabilitySchema),
  route('GET', '/v1/servers', 200, ServerListSchema),
  route('POST', '/v1/servers', 201, PublishedServerSchema),
  route('GET', '/v1/servers/:id', 200, ServerDetailSchema),
  route('PATCH', '/v1/servers/:id', 200, PublishedServerSchema),
  route('GET', '/v1/servers/:id/versions', 200, VersionListSchema),
  route('GET', '/v1/servers/:id/versions/:id', 200, VersionSchema),
  route('GET', '/v1/servers/:id/secrets', 200, SecretListSchema),
  route('PUT', '/v1/servers/:id/secrets/:id', 200, SecretSetSchema),
  route('GET', '/v1/servers/:id/grants', 200, ServerGrantListSchema),
  route('GET', '/v1/servers/:id/connections', 200, ServerConnectionListSchema),
  route('POST', '/v1/builds', 202, BuildStartedSchema),
  route('POST', '/v1/servers/:id/builds', 202, BuildStartedSchema),
  route('GET', '/v1/servers/:id/builds', 200, BuildListSchema),
  route('GET', '/v1/builds/:id', 200, BuildSchema),
  route('GET', '/v1/audit', 200, AuditPageSchema),
];

/** The schema of a /v1 answer: its route's on success, the error envelope on any failure. */
export function contractFor(method: string, url: string, status: number): z.ZodType | undefined {
  const path = new URL(url, 'http://x').pathname;
  if (!path.startsWith('/v1/')) return undefined;
  if (status >= 400) return ApiErrorBodySchema;
  return CONTRACTS.find((c) => c.method === method && c.status === status && c.path.test(path))
    ?.schema;
}

/** Parses a copy of `res`'s body when its route has a contract; the caller still reads `res`. */
export async function checkContract(method: string, url: string, res: Response): Promise<void> {
  const schema = contractFor(method, url, res.status);
  if (!schema || res.status === 204 || res.headers.get('upgrade')) return;
  const text = await res.clone().text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    expect.fail(`${method} ${url} answered ${res.status} with a body that is not JSON`);
  }
  expectShape(schema, body);
}
