// The two chat APIs Moat can use to turn a prompt into a ServerSpec: Anthropic Messages
// (POST {base}/v1/messages) and the OpenAI-compatible chat API (POST {base}/v1/chat/completions).
// The provider, key, model and base URL are configuration (LLM_PROVIDER, LLM_API_KEY, LLM_MODEL,
// LLM_BASE_URL).
export type LlmProvider = 'anthropic' | 'openai';

export interface LlmConfig {
  provider: LlmProvider;
  apiKey: string;
  model: string;
  baseUrl: string;
  timeoutMs?: number;
}

export type ChatMessage = { role: 'user' | 'assistant'; content: string };

export type LlmErrorCode = 'llm_not_configured' | 'llm_unavailable' | 'llm_invalid_answer';

export class LlmError extends Error {
  readonly code: LlmErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: LlmErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'LlmError';
    this.code = code;
    this.details = details;
  }
}

const DEFAULTS: Record<LlmProvider, { baseUrl: string; model: string }> = {
  anthropic: { baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5' },
  openai: { baseUrl: 'https://api.openai.com', model: 'gpt-4.1-mini' },
};

/** Reads the LLM_* variables; throws llm_not_configured when there is no key. */
export function llmConfigFrom(vars: {
  LLM_PROVIDER?: string;
  LLM_API_KEY?: string;
  LLM_MODEL?: string;
  LLM_BASE_URL?: string;
}): LlmConfig {
  const provider = (vars.LLM_PROVIDER || 'anthropic').toLowerCase();
  if (provider !== 'anthropic' && provider !== 'openai') {
    throw new LlmError(
      'llm_not_configured',
      `LLM_PROVIDER must be "anthropic" or "openai", not "${provider}". Meanwhile, describe the server with an OpenAPI document or a ServerSpec.`,
    );
  }
  if (!vars.LLM_API_KEY) {
    throw new LlmError(
      'llm_not_configured',
      'Describing a server from a prompt needs a model: set LLM_API_KEY (and LLM_PROVIDER, LLM_MODEL if you like) with `wrangler secret put LLM_API_KEY`, or in .dev.vars locally. Meanwhile, paste an OpenAPI document or a ServerSpec instead.',
    );
  }
  return {
    provider,
    apiKey: vars.LLM_API_KEY,
    model: vars.LLM_MODEL || DEFAULTS[provider].model,
    baseUrl: (vars.LLM_BASE_URL || DEFAULTS[provider].baseUrl).replace(/\/+$/, ''),
  };
}

/** One chat completion; returns the answer text. Failures are llm_unavailable without the key. */
export async function complete(
  config: LlmConfig,
  system: string,
  messages: ChatMessage[],
  fetcher: typeof fetch = fetch,
): Promise<string> {
  const anthropic = config.provider === 'anthropic';
  const url = `${config.baseUrl}/v1/${anthropic ? 'messages' : 'chat/completions'}`;
  const headers: Record<string, string> = anthropic
    ? { 'x-api-key': config.apiKey, 'anthropic-version': '2023-06-01' }
    : { authorization: `Bearer ${config.apiKey}` };
  const body = anthropic
    ? { model: config.model, max_tokens: 8192, system, messages }
    : {
        model: config.model,
        messages: [{ role: 'system', content: system }, ...messages],
        response_format: { type: 'json_object' },
      };
  let res: Response;
  try {
    res = await fetcher(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(config.timeoutMs ?? 90_000),
    });
  } catch {
    throw new LlmError(
      'llm_unavailable',
      `The model API at ${new URL(url).host} could not be reached.`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    const hint =
      res.status === 401 || res.status === 403
        ? ' Check LLM_API_KEY.'
        : res.status === 404
          ? ' Check LLM_MODEL and LLM_BASE_URL.'
          : '';
    throw new LlmError('llm_unavailable', `The model API answered ${res.status}.${hint}`);
  }
  const data = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const text = anthropic ? anthropicText(data) : openAiText(data);
  if (text === undefined) {
    throw new LlmError('llm_unavailable', 'The model API answered in an unexpected format.');
  }
  return text;
}

function anthropicText(data: Record<string, unknown> | undefined): string | undefined {
  const content = data?.content;
  if (!Array.isArray(content)) return undefined;
  const parts = content
    .filter(
      (c): c is { type: 'text'; text: string } => c?.type === 'text' && typeof c.text === 'string',
    )
    .map((c) => c.text);
  return parts.length ? parts.join('') : undefined;
}

function openAiText(data: Record<string, unknown> | undefined): string | undefined {
  const choices = data?.choices;
  if (!Array.isArray(choices)) return undefined;
  const content = (choices[0] as { message?: { content?: unknown } } | undefined)?.message?.content;
  return typeof content === 'string' ? content : undefined;
}
