// A request that failed because D1 or KV was unavailable leaves as a retryable 503 with
// Retry-After (RFC 9110 §15.6.4, §10.2.3), never a 500: nothing was half-written (each write is
// one atomic D1 batch), so the client may simply retry. The OAuth machine endpoints answer with
// an RFC body, `temporarily_unavailable` (RFC 6749 §4.1.2.1's code for exactly this, which
// clients already treat as retryable at /token too); /v1 with `storage_unavailable`.
import { ApiError } from '../../../../lib/http/api-error';
import { OAuthError } from '../../../../lib/oauth/errors';
import { isStorageFault, STORAGE_RETRY_AFTER_SECONDS } from '../store/storage-fault';

const OAUTH_PATHS = /^\/(?:token|register|revoke|introspect|\.well-known\/)/;

export function storageFaultResponse(err: unknown, path: string): Response | undefined {
  if (!isStorageFault(err)) return undefined;
  // The detail stays in the log; D1's text may carry SQL, never the wire.
  console.error('storage unavailable', { path, message: (err as Error).message.slice(0, 200) });
  const headers = { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) };
  if (OAUTH_PATHS.test(path)) {
    return new OAuthError('temporarily_unavailable', 'Storage is briefly unavailable; retry.', {
      headers,
    }).getResponse();
  }
  return new ApiError(503, 'storage_unavailable', 'Storage is briefly unavailable; retry.', {
    headers,
  }).getResponse();
}
