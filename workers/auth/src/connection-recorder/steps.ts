// The auth Worker's steps of a connection attempt (docs/observability.md "Connection recorder"):
// middleware on the route table's lines that reads what the request asked and how it was answered,
// then records it after the response. Discovery (RFC 8414 metadata), registration (RFC 7591, or a
// CIMD client seen at /authorize), authorize and consent (OAuth 2.1 §4.1.1), login, and the code
// exchange (§4.1.3). Refreshes are not attempts (connection health counts them).
import type { Context, MiddlewareHandler } from 'hono';
import { gate, writeIntervalMs } from '../../../../lib/observability/write-gate';
import { requesterKey } from '../../../../lib/observability/requester';
import { isCodeVerifier, s256 } from '../../../../lib/oauth/pkce';
import type { AppEnv } from '../app-env';
import { oauthConfig } from '../authorization-server/config';
import { findClientRow } from '../store/oauth-clients';
import { authorizeFailure, authorizeParams, serverOfResource } from './authorize-detail';
import { attemptKeyOf, recordStep, type StepInput } from './record';

type Ctx = Context<AppEnv>;
type Params = Record<string, string | undefined>;

/** The request body as text, read from a copy before the handler consumes it. */
async function bodyText(req: Request): Promise<string> {
  try {
    return new TextDecoder().decode(await req.clone().arrayBuffer());
  } catch {
    return '';
  }
}

async function formParams(req: Request): Promise<Params> {
  const text = await bodyText(req);
  try {
    if ((req.headers.get('content-type') ?? '').includes('json')) {
      const json = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(json).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    }
    return Object.fromEntries(new URLSearchParams(text));
  } catch {
    return {};
  }
}

async function jsonOf(res: Response): Promise<Record<string, unknown>> {
  try {
    return await res.json<Record<string, unknown>>();
  } catch {
    return {};
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : null);

/** RFC 8414 metadata: at most one record per requester a minute (anyone can fetch it). */
export const recordMetadataStep: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const ok = c.res.ok;
  recordStep(c, async () => {
    const requester = await requesterKey(c.req.raw.headers);
    if (gate(`asm:${requester}`, writeIntervalMs(undefined)) === 0) return undefined;
    return {
      step: 'discovery',
      ok,
      detail: { what: 'authorization_server_metadata', url: new URL(c.req.url).pathname },
    };
  });
};

/** RFC 7591 registration by an MCP client (not machine clients, which register with a key). */
export const recordRegistrationStep: MiddlewareHandler<AppEnv> = async (c, next) => {
  const asked = bodyText(c.req.raw);
  await next();
  if (c.get('principal')) return;
  const res = c.res.clone();
  recordStep(c, async () => {
    const body = await jsonOf(res);
    const ok = res.status === 201;
    let meta: Record<string, unknown> = body;
    if (!ok) {
      try {
        meta = JSON.parse(await asked) as Record<string, unknown>;
      } catch {
        meta = {};
      }
    }
    const uris = Array.isArray(meta.redirect_uris)
      ? meta.redirect_uris.filter((u): u is string => typeof u === 'string').slice(0, 10)
      : [];
    return {
      step: 'registration',
      ok,
      clientId: ok ? str(body.client_id) : null,
      detail: {
        method: 'dcr',
        clientName: str(meta.client_name),
        redirectUris: uris,
        ...(ok ? {} : { error: str(body.error), description: str(body.error_description) }),
      },
    };
  });
};

async function authorizeStep(c: Ctx, step: 'authorize' | 'consent', p: Params) {
  const err = c.get('authorizeError');
  const location = c.res.headers.get('location') ?? '';
  const status = c.res.status;
  const config = oauthConfig(c.env);
  recordStep(c, async () => {
    const clientId = p.client_id;
    const serverId = await serverOfResource(c.env.DB, config.runnerOrigin, p.resource);
    const base = {
      serverId,
      clientId: clientId ?? null,
      attemptKey: await attemptKeyOf(clientId, p.code_challenge),
    };
    if (step === 'authorize' && clientId?.startsWith('https://')) {
      // A CIMD client registers by being fetched here (draft-ietf-oauth-client-id-metadata-document).
      const row = await findClientRow(c.env.DB, clientId);
      recordStep(c, async () => ({
        ...base,
        step: 'registration',
        ok: row !== undefined,
        detail: {
          method: 'cimd',
          clientName: row?.name ?? null,
          redirectUris: row?.redirectUris.slice(0, 10) ?? [],
        },
      }));
    }
    const next = err
      ? 'error'
      : location.startsWith('/login')
        ? 'login'
        : status === 200
          ? 'consent'
          : 'code';
    const failure = err ? await authorizeFailure(c.env.DB, p, err, step) : {};
    return {
      ...base,
      step,
      ok: !err,
      detail:
        step === 'authorize'
          ? { ...authorizeParams(p), next, ...failure }
          : { decision: p.decision === 'approve' ? 'approve' : 'deny', next, ...failure },
    };
  });
}

export const recordAuthorizeStep: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  await authorizeStep(c, 'authorize', Object.fromEntries(new URL(c.req.url).searchParams));
};

export const recordConsentStep: MiddlewareHandler<AppEnv> = async (c, next) => {
  const form = formParams(c.req.raw);
  await next();
  await authorizeStep(c, 'consent', await form);
};

/** The code exchange (OAuth 2.1 §4.1.3); its attempt key is S256(code_verifier) (RFC 7636 §4.6). */
// The parameters come from the token endpoint's own parse (not a second read of a copy of the
// body on every grant): a body it could not parse is not an attempt anyone can be told about.
export const recordTokenStep: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const p: Params = c.get('tokenParams') ?? {};
  // A successful exchange records its step in the grant's own batch (grants/authorization-code.ts).
  if (p.grant_type !== 'authorization_code' || c.res.status === 200) return;
  const res = c.res.clone();
  recordStep(c, async (): Promise<StepInput> => {
    const body = await jsonOf(res);
    const verifier = p.code_verifier;
    const challenge = verifier && isCodeVerifier(verifier) ? await s256(verifier) : undefined;
    const clientId = p.client_id ?? null;
    return {
      step: 'token',
      ok: false,
      serverId: null,
      clientId,
      attemptKey: await attemptKeyOf(clientId ?? undefined, challenge),
      grantId: null,
      detail: {
        grantType: 'authorization_code',
        error: str(body.error),
        description: str(body.error_description),
        resource: p.resource?.slice(0, 300) ?? null,
        codeVerifier: verifier ? 'present' : 'missing',
      },
    };
  });
};

/** Sign-in or sign-up on the way through /authorize (its return_to names the request). */
export function recordLoginStep(form: 'signin' | 'signup'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const asked = formParams(c.req.raw);
    await next();
    const status = c.res.status;
    recordStep(c, async () => {
      const returnTo = (await asked).return_to;
      if (!returnTo?.startsWith('/authorize?')) return undefined;
      const q = new URL(returnTo, 'http://x').searchParams;
      const clientId = q.get('client_id') ?? undefined;
      return {
        step: 'login',
        ok: status === 303 || status === 302,
        serverId: await serverOfResource(
          c.env.DB,
          oauthConfig(c.env).runnerOrigin,
          q.get('resource') ?? undefined,
        ),
        clientId: clientId ?? null,
        attemptKey: await attemptKeyOf(clientId, q.get('code_challenge') ?? undefined),
        detail: { form, ...(status >= 400 ? { status } : {}) },
      };
    });
  };
}
