// A prompt → a proposed ServerSpec through a chat model. The answer is validated against
// ServerSpecSchema; an invalid answer gets one repair round with the validation errors, then fails
// with llm_invalid_answer. Prompts that look like they carry a credential never leave the platform.
import { z } from 'zod';
import {
  ServerSpecSchema,
  defaultToolScopes,
  formatSpecIssues,
  type ServerSpecInput,
} from '../spec/server-spec';
import { findCredential } from './secret-scan';
import { LlmError, complete, type ChatMessage, type LlmConfig } from './provider';

export const MAX_PROMPT_CHARS = 8000;

export class PromptRejected extends Error {
  readonly code = 'secret_in_prompt';
}

let schemaText: string | undefined;
function specJsonSchema(): string {
  schemaText ??= JSON.stringify(
    z.toJSONSchema(ServerSpecSchema, { io: 'input', unrepresentable: 'any' }),
  );
  return schemaText;
}

export function systemPrompt(): string {
  return [
    'You design hosted MCP servers for the Moat platform. Answer with one JSON object and nothing else:',
    'a ServerSpec that matches this JSON Schema:',
    specJsonSchema(),
    'Rules:',
    "- Each tool is one HTTPS call to a real, public API the user described. Use the API's real base URL and paths.",
    '- "{arg}" placeholders in http.url are filled from the tool arguments; put optional query parameters as "name={arg}" pairs.',
    '- Secrets (API keys, tokens) are declared in "secrets" and referenced as "{{secrets.NAME}}" in http.headers only, never in the URL.',
    '- Every host a tool calls is listed in "egress".',
    '- Mark read-only tools with annotations.readOnlyHint=true and deleting tools with destructiveHint=true.',
    '- Give every inputSchema property a description, and an example ("examples": [...]) where you know a good one.',
    '- Tool names use letters, digits and _ only. Keep to the tools the user asked for.',
  ].join('\n');
}

/** The first JSON object in a model's answer (it may wrap it in prose or a code fence). */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = fenced?.[1] ?? text;
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start === -1 || end <= start) return undefined;
  try {
    return JSON.parse(candidate.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

type Issue = { path: string; message: string };

function check(answer: string, overrides: { name?: string; slug?: string }) {
  const json = extractJson(answer);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return {
      ok: false as const,
      issues: [{ path: '(root)', message: 'the answer is not a JSON object' }],
    };
  }
  const candidate = { ...(json as Record<string, unknown>) };
  if (overrides.name) candidate.name = overrides.name;
  if (overrides.slug) candidate.slug = overrides.slug;
  const parsed = ServerSpecSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false as const, issues: formatSpecIssues(parsed.error) };
  const spec: ServerSpecInput = {
    ...parsed.data,
    tools: parsed.data.tools.map((t) => ({
      ...t,
      scopes: t.scopes?.length ? t.scopes : defaultToolScopes(t),
    })),
  };
  return { ok: true as const, spec };
}

export interface PromptResult {
  spec: ServerSpecInput;
  warnings: string[];
  /** How many model calls it took (2 when the repair round was needed). */
  rounds: number;
}

export async function specFromPrompt(
  config: LlmConfig,
  prompt: string,
  overrides: { name?: string; slug?: string } = {},
  fetcher?: typeof fetch,
): Promise<PromptResult> {
  const kind = findCredential(prompt);
  if (kind) {
    throw new PromptRejected(
      `The prompt seems to contain ${kind}. Remove it: credentials are entered in the next step and stored encrypted, never sent to the model.`,
    );
  }
  const hints = [
    overrides.name ? `The server's name is "${overrides.name}".` : '',
    overrides.slug ? `Its slug is "${overrides.slug}".` : '',
  ].filter(Boolean);
  const messages: ChatMessage[] = [
    { role: 'user', content: [prompt.slice(0, MAX_PROMPT_CHARS), ...hints].join('\n\n') },
  ];
  const first = await complete(config, systemPrompt(), messages, fetcher);
  const checked = check(first, overrides);
  if (checked.ok) return { spec: checked.spec, warnings: [], rounds: 1 };

  messages.push(
    { role: 'assistant', content: first.slice(0, 60_000) },
    { role: 'user', content: repairRequest(checked.issues) },
  );
  const second = await complete(config, systemPrompt(), messages, fetcher);
  const repaired = check(second, overrides);
  if (repaired.ok) {
    return {
      spec: repaired.spec,
      warnings: [
        `The model's first answer was invalid (${checked.issues.length} issue(s)) and was repaired.`,
      ],
      rounds: 2,
    };
  }
  throw new LlmError(
    'llm_invalid_answer',
    'The model did not produce a valid ServerSpec, even after one repair round. Rephrase the prompt, or start from an OpenAPI document or a ServerSpec.',
    { issues: repaired.issues.slice(0, 20) },
  );
}

function repairRequest(issues: Issue[]): string {
  const lines = issues.slice(0, 30).map((i) => `- ${i.path}: ${i.message}`);
  return `That ServerSpec is invalid:\n${lines.join('\n')}\nAnswer again with the corrected JSON object only.`;
}
