// `moat preview`: asks the platform to turn an OpenAPI document, a prompt or a hand-written spec
// into a proposed ServerSpec (POST /v1/servers/preview); publishes nothing.
import { writeFileSync } from 'node:fs';
import type { Preview } from '../../../lib/api/preview.ts';
import { usageError } from '../cli-error.ts';
import { noExtraArgs, type Context } from '../context.ts';
import { table } from '../output.ts';
import { readJsonFile, readTextFile } from './spec-file.ts';

const USAGE =
  'moat preview (--openapi file.yaml | --prompt "…" | -f spec.json) [--name N] [--slug S] ' +
  '[--base-url URL] [--operations id,id] [-o out.json]';

export async function preview(ctx: Context): Promise<void> {
  noExtraArgs(ctx, 0, USAGE);
  const { openapi, prompt, file, name, slug, output, operations } = ctx.opts;
  const baseUrl = ctx.opts['base-url'];
  const given = [openapi, prompt, file].filter((v) => v !== undefined).length;
  if (given !== 1)
    throw usageError('Give exactly one of --openapi, --prompt or -f.', `Usage: ${USAGE}`);
  const body: Record<string, unknown> = {
    ...(openapi !== undefined ? { openapi: await readTextFile(openapi) } : {}),
    ...(prompt !== undefined ? { prompt } : {}),
    ...(file !== undefined ? { spec: await readJsonFile(file) } : {}),
    ...(name ? { name } : {}),
    ...(slug ? { slug } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(operations
      ? {
          operations: operations
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
        }
      : {}),
  };
  const stop = ctx.out.spinner(prompt ? 'Asking the model for a spec…' : 'Converting…');
  let result: Preview;
  try {
    result = await ctx.api.request<Preview>('POST', '/v1/servers/preview', { body });
  } finally {
    stop();
  }
  const warnings = [
    ...result.warnings,
    ...result.issues.map((i) => `${i.path || '(root)'}: ${i.message} (fix before creating)`),
  ];
  const skipped = (result.operations ?? []).filter((o) => !o.selected);
  if (output) {
    writeFileSync(output, `${JSON.stringify(result.spec, null, 2)}\n`);
    const tools = result.spec.tools ?? [];
    ctx.out.result({ ...result, writtenTo: output }, () =>
      [
        `Wrote the proposed spec for ${result.spec.name} (${result.spec.slug}) to ${output}.`,
        '',
        tools.length === 0
          ? 'No tools.'
          : table(tools, [
              { header: 'tool', value: (t) => t.name },
              { header: 'scopes', value: (t) => (t.scopes ?? []).join(' ') },
              { header: 'description', value: (t) => (t.description ?? '').slice(0, 60) },
            ]),
        ...(result.spec.secrets?.length
          ? ['', `Secrets it needs: ${result.spec.secrets.map((s) => s.name).join(', ')}`]
          : []),
        ...(result.spec.egress?.length ? [`Hosts it calls: ${result.spec.egress.join(', ')}`] : []),
        ...warnings.map((w) => `warning: ${w}`),
        ...(skipped.length
          ? [
              '',
              `Operations not turned into tools (pick with --operations): ${skipped
                .map((o) => `${o.id}${o.reason ? ` (${o.reason})` : ''}`)
                .join(', ')}`,
            ]
          : []),
        '',
        `Review it, then: moat servers create -f ${output}`,
      ].join('\n'),
    );
    return;
  }
  for (const w of warnings) ctx.out.note(`warning: ${w}`);
  // The spec itself is the result: JSON on stdout, ready for `> spec.json`.
  ctx.out.result(ctx.out.json ? result : result.spec, () => JSON.stringify(result.spec, null, 2));
}
