// Whether an error is the storage being unavailable (D1 unreachable, overloaded, reset or timed
// out; KV failing) rather than a bug or a bad request. D1 reports its failures only as text
// ("D1_ERROR: Network connection lost.", "D1_ERROR: D1 DB is overloaded…"); a constraint failure
// is the one D1 error that is about the data, not the database, and store code handles those
// (constraint-violation.ts). Each write is one D1 batch, which is atomic, so a request that
// failed on storage wrote nothing and is safe to retry (docs/architecture.md "Faults").
import { constraintViolation } from './constraint-violation';

export function isStorageFault(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (constraintViolation(err)) return false;
  return /^(?:D1_[A-Z_]+:|KV (?:GET|PUT|DELETE|LIST) failed)/.test(err.message);
}

/** Seconds a client should wait before retrying after a storage fault (RFC 9110 §10.2.3). */
export const STORAGE_RETRY_AFTER_SECONDS = 1;
