// MCP resources (2025-11-25 server/resources): the spec's static resources and its resource
// templates, listed by the caller's scopes and resolved from a URI for resources/read.
import type { ReadResourceResult } from '@modelcontextprotocol/server';
import { base64Bytes } from '../../../../lib/spec/primitives';
import type { Resource, ResourceTemplate, ServerSpec } from '../../../../lib/spec/server-spec';
import { readScopes } from '../../../../lib/spec/scopes';
import { matchUriTemplate } from '../../../../lib/spec/uri-template';
import { hasScopes } from '../bearer';

/** What a URI names: a static resource, or a template with the variables the URI fills. */
export type ResourceTarget =
  | { kind: 'static'; resource: Resource; scopes: string[] }
  | {
      kind: 'template';
      template: ResourceTemplate;
      vars: Record<string, string>;
      scopes: string[];
    };

/** Static resources first, then templates in spec order: the first match wins. */
export function resolveResource(spec: ServerSpec, uri: string): ResourceTarget | undefined {
  const resource = spec.resources?.find((r) => r.uri === uri);
  if (resource) return { kind: 'static', resource, scopes: readScopes(resource) };
  for (const template of spec.resourceTemplates ?? []) {
    const vars = matchUriTemplate(template.uriTemplate, uri);
    if (vars) return { kind: 'template', template, vars, scopes: readScopes(template) };
  }
  return undefined;
}

/** resources/list: what the token's scopes cover (hidden otherwise, like tools/list). */
export function listResources(spec: ServerSpec, scopes: readonly string[]) {
  return {
    resources: (spec.resources ?? [])
      .filter((r) => hasScopes(scopes, readScopes(r)))
      .map((r) => ({
        uri: r.uri,
        name: r.name,
        title: r.title,
        description: r.description,
        mimeType: r.mimeType,
        // MCP Resource.size: the raw content's bytes, so a client can decide before reading.
        size:
          r.text !== undefined ? new TextEncoder().encode(r.text).byteLength : base64Bytes(r.blob!),
      })),
  };
}

export function listResourceTemplates(spec: ServerSpec, scopes: readonly string[]) {
  return {
    resourceTemplates: (spec.resourceTemplates ?? [])
      .filter((t) => hasScopes(scopes, readScopes(t)))
      .map((t) => ({
        uriTemplate: t.uriTemplate,
        name: t.name,
        title: t.title,
        description: t.description,
        mimeType: t.mimeType,
      })),
  };
}

export function staticContents(uri: string, r: Resource): ReadResourceResult {
  return {
    contents: [
      r.text !== undefined
        ? { uri, mimeType: r.mimeType, text: r.text }
        : { uri, mimeType: r.mimeType, blob: r.blob! },
    ],
  };
}
