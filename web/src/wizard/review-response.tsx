// Review step: what a tool returns (issue 14, docs/runner.md "Response shaping") — its size
// budget, the pagination the import proposed and any projection, in words, with the settings as
// JSON to adjust. The spec schema checks them when the review is sent, like every other field.
import { useState } from 'react';
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import { DEFAULT_MAX_TOKENS, type ResponseShaping } from '../../../lib/spec/response-shaping';
import { Field } from '../ui';

type ToolInput = ServerSpecInput['tools'][number];

function paginationText(p: NonNullable<ResponseShaping['pagination']>): string {
  const size = p.sizeParam ? `; page size in \`${p.sizeParam}\`` : '';
  if (p.style === 'cursor') {
    return `Cursor pages: the next cursor is read from \`${p.next ?? '?'}\` and sent as \`${p.param}\`${size}.`;
  }
  if (p.style === 'page') return `Numbered pages in \`${p.param}\`${size}.`;
  return `Offset pages in \`${p.param}\`${size}.`;
}

/** One-line descriptions of a tool's response settings, for the review and the server page. */
export function responseSummary(response: ResponseShaping | undefined): string[] {
  const lines = [
    `Results over ${(response?.maxTokens ?? DEFAULT_MAX_TOKENS).toLocaleString('en-US')} tokens are cut at whole items, with a note.`,
  ];
  if (response?.pagination) lines.push(paginationText(response.pagination));
  const proj = response?.projection;
  if (proj) {
    const fields = proj.fields ? Object.keys(proj.fields).join(', ') : 'all fields';
    lines.push(`Keeps ${proj.select ? `\`${proj.select}\`` : 'the response'}: ${fields}.`);
  }
  return lines;
}

export function ReviewResponse(props: {
  tool: ToolInput;
  index: number;
  setTool: (tool: ToolInput) => void;
  issue: string | undefined;
}) {
  const { tool, index, setTool } = props;
  const [text, setText] = useState(() => JSON.stringify(tool.response ?? {}, null, 2));
  const [jsonError, setJsonError] = useState<string>();
  const id = `tool-${index}-response`;
  const change = (value: string) => {
    setText(value);
    try {
      const parsed: unknown = value.trim() ? JSON.parse(value) : {};
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('not an object');
      }
      setJsonError(undefined);
      const response = Object.keys(parsed).length ? (parsed as ToolInput['response']) : undefined;
      setTool({ ...tool, response });
    } catch (err) {
      setJsonError(`must be a JSON object (${(err as Error).message})`);
    }
  };
  return (
    <details data-testid="review-response">
      <summary>Response</summary>
      <ul className="hint">
        {responseSummary(tool.response as ResponseShaping | undefined).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <Field
        label="Response settings (JSON)"
        id={id}
        error={jsonError ?? props.issue}
        hint='{"maxTokens": 20000, "pagination": {…}, "projection": {"select": "items", "fields": {…}}}'
      >
        <textarea
          id={id}
          className="mono"
          rows={6}
          value={text}
          onChange={(e) => change(e.target.value)}
        />
      </Field>
    </details>
  );
}
