// Runs the MCP conformance suites' server scenarios against a hosted server, and the setup they
// need: a server created over /v1, a client_credentials token for it (the README recipe) and the
// bearer-adding proxy, since the suites know nothing about OAuth.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineToken } from './machine-token';
import { repoRoot, type Platform } from './platform';

export type Check = { id: string; status: string; errorMessage?: string };

/**
 * A signed-up owner's hosted server with one read-only tool and the suites' fixture resources
 * and prompts, and a machine token for it.
 */
export async function hostedServerWithToken(
  platform: Platform,
  /** The notes API (support/notes-api.ts) that serves the fixture's resource template. */
  notes?: { origin: string; key: string },
): Promise<{ slug: string; mcpUrl: string; token: string }> {
  const signup = await fetch(`${platform.issuer}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `conformance-${Date.now()}@example.test`,
      password: 'correct horse battery staple',
    }),
  });
  if (signup.status !== 201) throw new Error(`signup answered ${signup.status}`);
  const { csrfToken } = (await signup.json()) as { csrfToken: string };
  const owner = {
    cookie: signup.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    origin: platform.issuer,
    'x-csrf-token': csrfToken,
    'content-type': 'application/json',
  };
  const slug = `conformance-${Date.now().toString(36)}`;
  const created = await fetch(`${platform.issuer}/v1/servers`, {
    method: 'POST',
    headers: owner,
    body: JSON.stringify({
      name: 'Conformance',
      slug,
      egress: ['127.0.0.1'],
      tools: [
        {
          name: 'echo',
          description: 'Echoes its text',
          inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
          annotations: { readOnlyHint: true },
          http: { method: 'GET', url: 'http://127.0.0.1:9/echo?text={text}' },
        },
      ],
      // The suites' fixture resources and prompts, as a ServerSpec declares them.
      ...(notes
        ? {
            secrets: [{ name: 'NOTES_KEY' }],
            resourceTemplates: [
              {
                uriTemplate: 'test://template/{id}/data',
                name: 'template_data',
                description: 'A note by id, read through the notes API',
                mimeType: 'application/json',
                http: {
                  method: 'GET',
                  url: `${notes.origin}/notes/{id}`,
                  headers: { 'X-Notes-Key': '{{secrets.NOTES_KEY}}' },
                },
              },
            ],
          }
        : {}),
      resources: [
        {
          uri: 'test://static-text',
          name: 'static_text',
          description: 'A static text resource',
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
        {
          uri: 'test://static-binary',
          name: 'static_binary',
          description: 'A static binary resource',
          mimeType: 'image/png',
          blob: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        },
      ],
      prompts: [
        {
          name: 'test_simple_prompt',
          description: 'A prompt without arguments',
          messages: [{ role: 'user', text: 'This is a simple prompt for testing.' }],
        },
        {
          name: 'test_prompt_with_arguments',
          description: 'A prompt with arguments',
          arguments: [
            { name: 'arg1', description: 'First test argument', required: true },
            { name: 'arg2', description: 'Second test argument', required: true },
          ],
          messages: [{ role: 'user', text: "Prompt with arguments: arg1='{arg1}', arg2='{arg2}'" }],
        },
      ],
    }),
  });
  if (created.status !== 201) throw new Error(`create answered ${created.status}`);
  if (notes) {
    const { id } = (await created.json()) as { id: string };
    const secret = await fetch(`${platform.issuer}/v1/servers/${id}/secrets/NOTES_KEY`, {
      method: 'PUT',
      headers: owner,
      body: JSON.stringify({ value: notes.key }),
    });
    if (!secret.ok) throw new Error(`secret answered ${secret.status}`);
  }
  const { key } = (await (
    await fetch(`${platform.issuer}/v1/api-keys`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({ name: 'conformance' }),
    })
  ).json()) as { key: string };
  const mcpUrl = `${platform.runnerOrigin}/${slug}/mcp`;
  const token = await machineToken(platform, key, { clientName: 'conformance', mcpUrl });
  return { slug, mcpUrl, token };
}

/**
 * Runs one suite's server scenarios (`args` selects them) and returns every check by scenario.
 * `suite` is the package directory: `conformance` (0.1.16) or `conformance-next` (0.2).
 */
export async function runConformance(
  suite: 'conformance' | 'conformance-next',
  url: string,
  args: string[],
): Promise<Map<string, Check[]>> {
  const out = mkdtempSync(join(tmpdir(), 'moat-conformance-'));
  try {
    const cli = join(repoRoot, `node_modules/@modelcontextprotocol/${suite}/dist/index.js`);
    await new Promise<void>((ok) => {
      const child = spawn(process.execPath, [cli, 'server', '--url', url, '-o', out, ...args], {
        cwd: repoRoot,
        stdio: 'ignore',
      });
      child.on('exit', () => ok());
    });
    const checks = new Map<string, Check[]>();
    for (const dir of readdirSync(out)) {
      // A scenario that could not start (e.g. an extension's setup) leaves no checks behind.
      if (!existsSync(join(out, dir, 'checks.json'))) continue;
      // `server-<scenario>-<ISO timestamp>`
      const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
      checks.set(
        scenario,
        JSON.parse(readFileSync(join(out, dir, 'checks.json'), 'utf8')) as Check[],
      );
    }
    return checks;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The checks of `scenario` that did not succeed, except those named in `fixtureOnly`. */
export function failures(
  checks: Map<string, Check[]>,
  scenario: string,
  fixtureOnly: string[] = [],
): string[] {
  const all = checks.get(scenario);
  if (!all) return [`${scenario}: not run`];
  return all
    .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
    .filter((c) => !fixtureOnly.includes(c.id))
    .map((c) => `${scenario}/${c.id}: ${c.status} ${c.errorMessage ?? ''}`);
}
