#!/usr/bin/env node
// A local stand-in for the model APIs Moat's prompt source uses: it speaks the Anthropic Messages
// API (POST /v1/messages) and the OpenAI-compatible chat API (POST /v1/chat/completions) and answers
// from the fixtures in scripts/fake-llm/. Tests and `npm start` (when no real LLM_API_KEY is set)
// use it, so the prompt path works offline.
//
// Answers, by the first user message:
//   contains "[fake:always-invalid]"  → an invalid ServerSpec every time
//   contains "[fake:invalid-first]"   → an invalid ServerSpec, then (repair round) a valid one
//   names a local URL (http://127.0.0.1:PORT/…) → one read-only tool that GETs that URL
//   mentions "github"                 → fake-llm/github-issues.json
//   anything else                     → fake-llm/weather.json
// GET /_fake/requests lists what it received (model, provider, prompt), for tests.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name) => JSON.parse(readFileSync(join(here, 'fake-llm', `${name}.json`), 'utf8'));

function localUrlSpec(url) {
  const u = new URL(url);
  return {
    name: 'Local API',
    slug: 'local-api',
    description: `Reads ${u.host}`,
    visibility: 'private',
    secrets: [],
    egress: [u.host],
    tools: [
      {
        name: 'get_resource',
        title: 'Get resource',
        description: `GET ${u.pathname}`,
        inputSchema: { type: 'object', properties: {} },
        annotations: { readOnlyHint: true },
        http: { method: 'GET', url: u.toString() },
      },
    ],
  };
}

/** The answer text for a conversation (messages: [{role, content}], first is the prompt). */
export function answerFor(messages) {
  const text = (m) =>
    typeof m?.content === 'string'
      ? m.content
      : Array.isArray(m?.content)
        ? m.content.map((c) => c.text ?? '').join('')
        : '';
  const prompt = text(messages.find((m) => m.role === 'user'));
  const repairRound = messages.filter((m) => m.role === 'user').length > 1;
  const invalid = { name: 'Broken', slug: 'broken', egress: [], tools: [] };
  if (prompt.includes('[fake:always-invalid]')) return JSON.stringify(invalid);
  if (prompt.includes('[fake:invalid-first]') && !repairRound) return JSON.stringify(invalid);
  const local = /https?:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?(?:\/[^\s"')]*)?/.exec(prompt);
  const spec = local
    ? localUrlSpec(local[0])
    : /github/i.test(prompt)
      ? fixture('github-issues')
      : fixture('weather');
  return `Here is the server:\n\`\`\`json\n${JSON.stringify(spec, null, 2)}\n\`\`\``;
}

export function startFakeLlm({ port = 0, host = '127.0.0.1' } = {}) {
  const received = [];
  const server = createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/_fake/requests') return send(200, received);
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(raw || '{}');
      } catch {
        return send(400, { error: { type: 'invalid_request_error', message: 'bad JSON' } });
      }
      const anthropic = req.url === '/v1/messages';
      const openai = req.url === '/v1/chat/completions';
      if (req.method !== 'POST' || (!anthropic && !openai)) {
        return send(404, { error: { type: 'not_found_error', message: 'unknown route' } });
      }
      const key = anthropic
        ? req.headers['x-api-key']
        : /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!key)
        return send(401, { error: { type: 'authentication_error', message: 'no API key' } });
      const messages = (body.messages ?? []).filter((m) => m.role !== 'system');
      received.push({ provider: anthropic ? 'anthropic' : 'openai', model: body.model, messages });
      const text = answerFor(messages);
      if (anthropic) {
        return send(200, {
          id: `msg_fake_${received.length}`,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [{ type: 'text', text }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 1, output_tokens: 1 },
        });
      }
      return send(200, {
        id: `chatcmpl-fake-${received.length}`,
        object: 'chat.completion',
        model: body.model,
        choices: [
          { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://${host}:${actual}`,
        received,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8790' } } });
  const fake = await startFakeLlm({ port: Number(values.port) });
  console.log(
    `fake LLM listening on ${fake.url} (Anthropic /v1/messages, OpenAI /v1/chat/completions)`,
  );
}
