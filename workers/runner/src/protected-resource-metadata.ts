// RFC 9728 Protected Resource Metadata and the RFC 6750 §3 challenges that point to it.
import type { HostedServer } from './server-cache';

/** `path` is the server's `{slug}`, or `{slug}/{toolset}` for a toolset (HostedServer.path). */
export function metadataUrl(env: Pick<Env, 'RUNNER_ORIGIN'>, path: string): string {
  // RFC 9728 §3.1: the well-known segment is inserted between the host and the resource's path.
  return `${env.RUNNER_ORIGIN}/.well-known/oauth-protected-resource/${path}/mcp`;
}

export function protectedResourceMetadata(
  env: Pick<Env, 'ISSUER' | 'RUNNER_ORIGIN'>,
  server: HostedServer,
): Record<string, unknown> {
  return {
    resource: server.resource, // RFC 9728 §3.3: must equal the resource the client used
    authorization_servers: [env.ISSUER],
    bearer_methods_supported: ['header'], // RFC 6750 §2.1 only; never the query string
    scopes_supported: server.scopes,
    resource_name: server.spec.name,
  };
}

type Challenge = {
  error?: 'invalid_token' | 'insufficient_scope' | 'invalid_request';
  description?: string;
  scope?: string;
};

/** `Bearer resource_metadata="…"[, error="…", error_description="…", scope="…"]`. */
export function bearerChallenge(env: Pick<Env, 'RUNNER_ORIGIN'>, path: string, c: Challenge = {}) {
  const params = [`resource_metadata="${metadataUrl(env, path)}"`];
  if (c.error) params.push(`error="${c.error}"`);
  if (c.description) params.push(`error_description="${c.description.replaceAll('"', "'")}"`);
  if (c.scope) params.push(`scope="${c.scope}"`);
  return `Bearer ${params.join(', ')}`;
}

/**
 * `{RUNNER_ORIGIN}/.well-known/oauth-protected-resource`, the root form, would describe the
 * resource `{RUNNER_ORIGIN}` itself (RFC 9728 §3.1, §3.3: `resource` must equal the URL the
 * metadata was derived from). The runner origin names no one server — the AS refuses it as a
 * resource — so the root form answers 404 and says where each server's metadata is.
 */
export function rootMetadataAnswer(): Response {
  return Response.json(
    {
      error: {
        code: 'not_found',
        message:
          'Each MCP server has its own metadata at /.well-known/oauth-protected-resource/{slug}/mcp (RFC 9728 §3.1).',
      },
    },
    {
      status: 404,
      headers: { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' },
    },
  );
}
