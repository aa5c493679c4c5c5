// `moat eject <server> -o dir`: writes the server as a standalone Worker project (DESIGN §2):
// its own wrangler.toml, the runner runtime from this repository, the published spec baked in.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT, usageError } from '../cli-error.ts';
import { arg, noExtraArgs, type Context } from '../context.ts';
import { writeEjectedProject, type EjectInput } from '../eject/project.ts';
import { getServer } from '../server-ref.ts';

const USAGE = 'moat eject <server> -o <dir> [--force]';

export async function eject(ctx: Context): Promise<void> {
  const ref = arg(ctx, 0, 'server', USAGE);
  noExtraArgs(ctx, 1, USAGE);
  const outDir = ctx.opts.output;
  if (!outDir) throw usageError('Missing -o <dir>.', `Usage: ${USAGE}`);
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !ctx.opts.force) {
    throw new CliError(`${outDir} is not empty.`, {
      exitCode: EXIT.usage,
      hint: 'Choose a new directory, or pass --force to write into it.',
      code: 'usage',
    });
  }
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  if (!existsSync(`${repoRoot}workers/runner/src/index.ts`)) {
    throw new CliError('The runner runtime is not next to this moat.', {
      hint: 'Run `npx moat eject` from a clone of the Moat repository.',
    });
  }
  const server = await getServer(ctx.api, ref);
  if (server.spec === null) {
    throw new CliError(`${server.slug} has no published version to eject yet.`, {
      hint: `Build it first: moat build ${server.slug}`,
      code: 'no_published_version',
    });
  }
  const spec = server.spec as EjectInput['spec'];
  const result = writeEjectedProject({
    repoRoot,
    outDir,
    issuer: ctx.apiUrl,
    runnerOrigin: new URL(server.url).origin,
    server: {
      id: server.id,
      orgId: server.orgId,
      slug: server.slug,
      version: server.version,
      name: server.name,
    },
    spec: { ...spec, secrets: spec.secrets ?? [] },
  });
  ctx.out.result(
    { ejected: true, dir: outDir, files: result.files, slug: server.slug, version: server.version },
    () =>
      [
        `Wrote ${server.slug} v${server.version} as a standalone Worker project in ${outDir} (${result.files} files).`,
        '',
        `  cd ${outDir} && npm install`,
        ...(spec.secrets ?? []).map((s) => `  npx wrangler secret put ${s.name}`),
        '  npx wrangler deploy',
        '',
        'Tokens still come from this platform; see its README for routing the MCP URL to it.',
      ].join('\n'),
  );
}
