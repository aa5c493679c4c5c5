// first_signing_key: the one-row D1 claim on the platform's first signing key. KV, where keys live,
// has no compare-and-set and is eventually consistent, so isolates that all see no key would each
// create one; D1's primary key lets exactly one claim win (INSERT … ON CONFLICT DO NOTHING), and
// the stored record lets every loser, and any isolate that does not see KV's copy yet, sign with
// the winner. `npm start` and `npm run deploy` claim it before any request does.
import type { SigningKeyRecord } from './signing-key-records';

const SLOT = 'first';

export async function readFirstSigningKey(db: D1Database): Promise<SigningKeyRecord | undefined> {
  const row = await db
    .prepare('SELECT record FROM first_signing_key WHERE slot = ?')
    .bind(SLOT)
    .first<{ record: string }>();
  return row ? (JSON.parse(row.record) as SigningKeyRecord) : undefined;
}

/** Claims `candidate` as the first key unless one was claimed already; returns the winner. */
export async function claimFirstSigningKey(
  db: D1Database,
  candidate: SigningKeyRecord,
): Promise<SigningKeyRecord> {
  const [, read] = await db.batch<{ record: string }>([
    db
      .prepare(
        `INSERT INTO first_signing_key (slot, kid, record, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (slot) DO NOTHING`,
      )
      .bind(SLOT, candidate.kid, JSON.stringify(candidate), candidate.createdAt),
    db.prepare('SELECT record FROM first_signing_key WHERE slot = ?').bind(SLOT),
  ]);
  const row = read?.results[0];
  if (!row) throw new Error('first signing key claim not readable');
  return JSON.parse(row.record) as SigningKeyRecord;
}
