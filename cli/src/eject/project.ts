// Writes an ejected server: a standalone Worker project (DESIGN §2 "ejected") with its own
// wrangler.toml, the runner runtime copied from this repository, and the spec baked in.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runtimeClosure } from './runtime-files.ts';

export type EjectInput = {
  repoRoot: string;
  outDir: string;
  issuer: string;
  runnerOrigin: string;
  server: { id: string; orgId: string; slug: string; version: number; name: string };
  spec: { slug: string; name: string; secrets: { name: string; description?: string }[] };
};

function copy(root: string, rel: string, outDir: string): void {
  mkdirSync(dirname(join(outDir, rel)), { recursive: true });
  copyFileSync(join(root, rel), join(outDir, rel));
}

function tomlString(s: string): string {
  return JSON.stringify(s);
}

function compatibilityDate(root: string): string {
  const m = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(
    readFileSync(join(root, 'workers/runner/wrangler.toml'), 'utf8'),
  );
  return m?.[1] ?? '2026-07-01';
}

function wranglerToml(input: EjectInput, root: string): string {
  const { slug } = input.spec;
  const runnerHost = new URL(input.runnerOrigin).host;
  return `# An ejected Moat MCP server: ${input.spec.name} (${slug}), version ${input.server.version}.
# \`npx wrangler deploy\` ships it to your Cloudflare account. Tokens still come from the Moat
# platform at ISSUER: the server checks them against the platform's published keys, and their
# audience is ${input.runnerOrigin}/${slug}/mcp. Serve it there by routing this server's paths on
# the runner's hostname to this Worker (more specific routes win), e.g.:
#
# routes = [
#   { pattern = "${runnerHost}/${slug}/*", zone_name = "<your zone>" },
#   { pattern = "${runnerHost}/.well-known/oauth-protected-resource/${slug}/mcp", zone_name = "<your zone>" },
# ]
name = ${tomlString(`moat-${slug}`)}
main = "src/index.ts"
compatibility_date = "${compatibilityDate(root)}"
compatibility_flags = ["nodejs_compat"]
workers_dev = true

[vars]
ISSUER = ${tomlString(input.issuer)}
RUNNER_ORIGIN = ${tomlString(input.runnerOrigin)}
# "1" only for local development against APIs on 127.0.0.1; never in production.
ALLOW_PRIVATE_EGRESS = ""
${
  input.spec.secrets.length > 0
    ? `
[secrets]
# Set each with \`npx wrangler secret put <NAME>\` (values never go in this file).
required = [${input.spec.secrets.map((s) => tomlString(s.name)).join(', ')}]
`
    : ''
}
[[durable_objects.bindings]]
name = "SESSIONS"
class_name = "McpSession"

[[durable_objects.bindings]]
name = "PRINCIPAL_SESSIONS"
class_name = "PrincipalSessions"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["McpSession"]

[[migrations]]
tag = "v2"
new_sqlite_classes = ["PrincipalSessions"]

[observability]
enabled = true
`;
}

function readme(input: EjectInput): string {
  const secrets = input.spec.secrets.map((s) => `npx wrangler secret put ${s.name}`).join('\n');
  return `# ${input.spec.name} — an ejected Moat MCP server

This is \`${input.spec.slug}\` version ${input.server.version}, exported from Moat (${input.issuer})
as a standalone Cloudflare Worker: the Moat runner code (\`workers/runner/\`, \`lib/\`), the
ServerSpec baked into \`moat-server.json\`, and one Durable Object per MCP session.

\`\`\`sh
npm install
${secrets ? `${secrets}\n` : ''}npx wrangler deploy
\`\`\`

- **Auth**: tokens are still issued by the Moat platform (\`ISSUER\`); this Worker verifies them at
  the edge against \`${input.issuer}/.well-known/jwks.json\`, with the audience
  \`${input.runnerOrigin}/${input.spec.slug}/mcp\`. Route that URL's paths to this Worker (see the
  comment in \`wrangler.toml\`) so MCP clients keep working unchanged.
- **Secrets** are this Worker's own secrets (\`wrangler secret put\`), not the platform's.
- **Audit**: \`tool.call\` events go to the Worker's logs (Workers Logs), not the platform's audit log.
- **Changes**: edit \`moat-server.json\` and deploy again.
`;
}

export function writeEjectedProject(input: EjectInput): { files: number } {
  const root = input.repoRoot;
  const { files, packages } = runtimeClosure(root, 'workers/runner/src/index.ts');
  mkdirSync(input.outDir, { recursive: true });
  for (const rel of files) copy(root, rel, input.outDir);
  copy(root, 'workers/worker-runtime.d.ts', input.outDir);
  copy(root, 'workers/runner/worker-configuration.d.ts', input.outDir);
  const template = join(root, 'cli/eject-template');
  for (const name of readdirSync(join(template, 'src')))
    copy(template, join('src', name), input.outDir);

  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const version = (p: string) => rootPkg.dependencies[p] ?? rootPkg.devDependencies[p] ?? '*';
  const pkg = {
    name: `moat-${input.spec.slug}`,
    private: true,
    type: 'module',
    scripts: { deploy: 'wrangler deploy', dev: 'wrangler dev' },
    dependencies: Object.fromEntries(packages.map((p) => [p, version(p)])),
    devDependencies: { wrangler: version('wrangler'), typescript: version('typescript') },
  };
  const write = (rel: string, text: string) => writeFileSync(join(input.outDir, rel), text);
  write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  write('wrangler.toml', wranglerToml(input, root));
  write('README.md', readme(input));
  write(
    'moat-server.json',
    `${JSON.stringify({ server: { id: input.server.id, orgId: input.server.orgId, slug: input.server.slug, version: input.server.version }, spec: input.spec }, null, 2)}\n`,
  );
  write(
    'tsconfig.json',
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2023',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          resolveJsonModule: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['./workers/worker-runtime.d.ts', './workers/runner/worker-configuration.d.ts'],
        },
        include: ['src', 'workers', 'lib'],
      },
      null,
      2,
    )}\n`,
  );
  write('.gitignore', 'node_modules/\n.wrangler/\n.dev.vars\n');
  return { files: files.length + 9 };
}
