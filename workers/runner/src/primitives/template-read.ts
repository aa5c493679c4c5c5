// resources/read of a resource template: the URI's variables become the arguments of the
// template's HTTP call, run by the tool engine itself (tools/tool-call.ts: secrets opened, egress
// guarded, time-limited, every secret redacted from the answer), so the two cannot drift apart.
import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  type ReadResourceResult,
} from '@modelcontextprotocol/server';
import type { ResourceTemplate, Tool } from '../../../../lib/spec/server-spec';
import { uriTemplateVariables } from '../../../../lib/spec/uri-template';
import { callTool, type CallAudit, type CallContext } from '../tools/tool-call';

const tools = new WeakMap<ResourceTemplate, Tool>();

/** The template as the tool the engine runs: one required string argument per URI variable. */
function asTool(template: ResourceTemplate): Tool {
  let tool = tools.get(template);
  if (!tool) {
    const vars = uriTemplateVariables(template.uriTemplate);
    tool = {
      name: template.name,
      description: template.description ?? template.name,
      inputSchema: {
        type: 'object',
        properties: Object.fromEntries(vars.map((v) => [v, { type: 'string' }])),
        required: vars,
      },
      annotations: { readOnlyHint: true },
      http: template.http,
      response: template.response,
    };
    tools.set(template, tool);
  }
  return tool;
}

/** The result, or the JSON-RPC error to answer with; the call is audited either way. */
export async function readTemplate(
  uri: string,
  template: ResourceTemplate,
  vars: Record<string, string>,
  ctx: CallContext,
): Promise<
  | { result: ReadResourceResult; error?: undefined; audit: CallAudit }
  | { result?: undefined; error: ProtocolError; audit: CallAudit }
> {
  const { result, audit } = await callTool(asTool(template), vars, ctx);
  const first = result.content[0];
  if (result.isError || !first) {
    const message = first?.type === 'text' ? first.text : 'The API call failed.';
    // A downstream 404 is the resource not existing; MCP answers that with -32602 and data.uri
    // (2026-07-28 server/resources §Error Handling; the SDK's ResourceNotFoundError).
    const error =
      audit.status === 404
        ? new ResourceNotFoundError(uri)
        : new ProtocolError(ProtocolErrorCode.InternalError, `Could not read ${uri}: ${message}`);
    return { error, audit };
  }
  const contents: ReadResourceResult['contents'] = [];
  for (const [i, c] of result.content.entries()) {
    // Past the first, text blocks are response-shaping notes (tools/response-shaping.ts).
    const mimeType = i === 0 ? template.mimeType : 'text/plain';
    if (c.type === 'text') contents.push({ uri, mimeType, text: c.text });
    else if (c.type === 'image') contents.push({ uri, mimeType: c.mimeType, blob: c.data });
  }
  return { result: { contents }, audit };
}
