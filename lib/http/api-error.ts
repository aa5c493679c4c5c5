// The one wire error type of the control-plane API (/v1): {"error":{"code","message"}}.
// Codes are a closed union (like OAuthErrorCode in lib/oauth/errors.ts): clients branch on
// `error.code`, never on the message, so a code is a contract and the message may change.
import type { LlmErrorCode } from '../llm/provider';
import type { OpenApiErrorCode } from '../openapi/document';

export type ApiErrorStatus =
  400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 426 | 429 | 500 | 503;

export type ApiErrorCode =
  // Requests
  | 'bad_request'
  | 'invalid_json'
  | 'invalid_request'
  | 'validation_failed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'not_found'
  | 'method_not_allowed'
  | 'upgrade_required'
  | 'conflict'
  | 'http_error'
  | 'internal_error'
  | 'storage_unavailable' // D1/KV unreachable: 503 with Retry-After, safe to retry
  // Who is calling
  | 'unauthenticated'
  | 'invalid_api_key'
  | 'invalid_token'
  | 'invalid_credentials'
  | 'too_many_attempts'
  | 'forbidden'
  | 'forbidden_origin'
  | 'csrf_origin_mismatch'
  | 'csrf_token_invalid'
  // Accounts and organizations
  | 'email_taken'
  | 'weak_password'
  | 'already_member'
  | 'last_owner'
  | 'invite_not_found'
  | 'invite_email_mismatch'
  | 'invite_accepted'
  | 'invite_revoked'
  | 'invite_expired'
  | 'grant_not_found'
  | 'connection_not_found'
  // Servers, builds and the wizard
  | 'slug_taken'
  | 'slug_mismatch'
  | 'invalid_spec'
  | 'not_published'
  | 'no_spec'
  | 'version_conflict'
  | 'unknown_secret'
  | 'secret_in_prompt'
  | OpenApiErrorCode
  | LlmErrorCode;

export class ApiError extends Error {
  readonly status: ApiErrorStatus;
  readonly code: ApiErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: ApiErrorStatus,
    code: ApiErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: { code: ApiErrorCode; message: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }

  getResponse(): Response {
    return new Response(JSON.stringify(this.toJSON()), {
      status: this.status,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        ...this.headers,
      },
    });
  }
}
