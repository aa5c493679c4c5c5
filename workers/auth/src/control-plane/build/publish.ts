// Build step "publish" and its undo: publishing is one atomic batch (the version, the switch and
// what a narrower visibility takes away), and a failed smoke test puts the previous version back.
import type { ServerSpec } from '../../../../../lib/spec/server-spec';
import { oauthConfig, revocationTtlMs } from '../../authorization-server/config';
import { serverAccessStatements } from '../../store/access-loss';
import { isUniqueViolation } from '../../store/constraint-violation';
import { isStorageFault } from '../../store/storage-fault';
import {
  findServerById,
  getVersion,
  latestVersion,
  publishVersionStatements,
  switchVersionStatement,
  versionSwitched,
} from '../../store/servers';
import { fail, type BuildInput, type Log } from './build-step';

const RETRY = 'Run the build again.';

export async function publish(env: Env, input: BuildInput, spec: ServerSpec, log: Log) {
  const server = await findServerById(env.DB, input.serverId);
  if (!server)
    return fail('publish', 'The server was deleted during the build.', 'Create it again.');
  const version = (await latestVersion(env.DB, input.serverId)) + 1;
  const previous = server.currentVersion;
  const now = Date.now();
  const publishStatements = publishVersionStatements(env.DB, {
    serverId: input.serverId,
    version,
    replaces: previous,
    spec,
    createdBy: input.createdBy,
    note: `build ${input.buildId}`,
    now,
  });
  let switched = false;
  try {
    const results = await env.DB.batch([
      ...publishStatements,
      // What a narrower visibility takes away ends in the same batch (docs/oauth.md).
      ...serverAccessStatements(
        env.DB,
        { id: input.serverId, previousVisibility: server.visibility },
        now,
        revocationTtlMs(oauthConfig(env)),
      ),
    ]);
    switched = versionSwitched(results[publishStatements.length - 1]);
  } catch (err) {
    if (isStorageFault(err)) {
      // D1 failed around the batch: it either committed whole or not at all. Read which, so the
      // build never reports "failed" for a version that is live (docs/architecture.md "Faults").
      switched = (await findServerById(env.DB, input.serverId))?.currentVersion === version;
      if (!switched) {
        return fail('publish', 'Storage was briefly unavailable; nothing was published.', RETRY);
      }
      // The primary key: a concurrent publish took this version number.
    } else if (!isUniqueViolation(err)) throw err;
  }
  if (!switched) {
    return fail(
      'publish',
      `Another change published version ${version} or later first.`,
      'Run the build again.',
    );
  }
  await log('publish', 'ok', `Published version ${version}.`);
  return { version, previous };
}

/**
 * A failed smoke test puts `previous` back, but only in place of `version`, the one this build
 * published: if anything was published meanwhile, that publish stays (compare-and-set).
 */
export async function withdraw(
  env: Env,
  serverId: string,
  version: number,
  previous: number | null,
  withdrawnVisibility: ServerSpec['visibility'],
  log: Log,
): Promise<void> {
  const back = previous === null ? undefined : await getVersion(env.DB, serverId, previous);
  const now = Date.now();
  const [result] = await env.DB.batch([
    switchVersionStatement(env.DB, {
      serverId,
      from: version,
      to: previous,
      spec: (back?.spec as ServerSpec | undefined) ?? null,
      now,
    }),
    // The version put back may be narrower than the withdrawn one: end what it takes away.
    ...serverAccessStatements(
      env.DB,
      { id: serverId, previousVisibility: withdrawnVisibility },
      now,
      revocationTtlMs(oauthConfig(env)),
    ),
  ]);
  if (versionSwitched(result)) {
    await log(
      'smoke',
      'error',
      `Version ${version} withdrawn; the server is back to ${previous ? `version ${previous}` : 'unpublished'}.`,
    );
    return;
  }
  const current = (await findServerById(env.DB, serverId))?.currentVersion;
  const meanwhile =
    current === undefined
      ? 'the server was deleted meanwhile'
      : current === null
        ? 'the server was unpublished meanwhile'
        : `version ${current} was published meanwhile`;
  await log('smoke', 'error', `Version ${version} not rolled back: ${meanwhile}.`);
}
