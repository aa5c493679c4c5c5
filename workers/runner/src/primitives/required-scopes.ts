// The scopes a resources/read or prompts/get needs, known before the request reaches a session,
// so a token without them gets the same 403 insufficient_scope challenge as a tools/call
// (MCP 2025-11-25 authorization §Scope challenge handling; RFC 6750 §3.1).
import type { ServerSpec } from '../../../../lib/spec/server-spec';
import { readScopes } from '../../../../lib/spec/scopes';
import { findPrompt } from './prompts';
import { resolveResource } from './resources';

/** `what` names the primitive by its spec name (safe in a header), never by the client's URI. */
export type ScopeNeed = { scopes: string[]; what: string };

export function primitiveScopeNeed(
  spec: ServerSpec,
  method: unknown,
  params: { uri?: unknown; name?: unknown } | undefined,
): ScopeNeed | undefined {
  if (method === 'resources/read' && typeof params?.uri === 'string') {
    const target = resolveResource(spec, params.uri);
    if (!target) return undefined;
    return target.kind === 'static'
      ? { scopes: target.scopes, what: `resource ${target.resource.name}` }
      : { scopes: target.scopes, what: `resource template ${target.template.name}` };
  }
  if (method === 'prompts/get') {
    const prompt = findPrompt(spec, params?.name);
    return prompt && { scopes: readScopes(prompt), what: `prompt ${prompt.name}` };
  }
  return undefined;
}
