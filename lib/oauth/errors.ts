// The one wire error type of the OAuth endpoints: an RFC error body {"error","error_description"}
// with `Cache-Control: no-store` (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2, RFC 7009 §2.2.1).

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_token' // RFC 6750 §3.1, for a bad initial access token at /register (RFC 7591 §3)
  | 'too_many_requests'
  | 'server_error'
  | 'temporarily_unavailable';

const STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  too_many_requests: 429,
  server_error: 500,
  temporarily_unavailable: 503,
};

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    code: OAuthErrorCode,
    description: string,
    options: { status?: number; headers?: Record<string, string> } = {},
  ) {
    super(description);
    this.name = 'OAuthError';
    this.code = code;
    this.status = options.status ?? STATUS[code] ?? 400;
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }

  getResponse(): Response {
    return new Response(JSON.stringify(this.toJSON()), {
      status: this.status,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        pragma: 'no-cache',
        ...this.headers,
      },
    });
  }
}

/**
 * Whom an error may be sent back to at a validated redirect URI. RFC 9700 §4.11.2: the AS should
 * redirect automatically only to a redirect URI it trusts. A self-registered client's (DCR,
 * CIMD) redirect URI is whatever anyone registered, so its errors are shown locally until a user
 * has signed in; a client the operator registered would be trusted at once.
 */
export type RedirectTrust = 'registered-client' | 'after-sign-in';

/**
 * Proof that the client and its redirect URI were validated for this authorization request.
 * Only `validatedRedirect` makes one, and only an error carrying one may redirect (OAuth 2.1
 * §4.1.2.1: otherwise the AS must not redirect, so an attacker cannot use it as an open redirector).
 */
export type RedirectTarget = {
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly issuer: string;
  readonly trust: RedirectTrust;
  readonly __validated: unique symbol;
};

export function validatedRedirect(
  redirectUri: string,
  state: string | undefined,
  issuer: string,
  trust: RedirectTrust,
): RedirectTarget {
  return { redirectUri, state, issuer, trust } as RedirectTarget;
}

/** The authorization response URL: `code` or `error`, then `state` and `iss` (RFC 9207 §2). */
export function authorizationResponseUrl(
  target: RedirectTarget,
  params: Record<string, string>,
): string {
  const url = new URL(target.redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  if (target.state !== undefined) url.searchParams.set('state', target.state);
  url.searchParams.set('iss', target.issuer);
  return url.toString();
}

/** Who is looking at the error: whether the browser carries a signed-in session. */
export type ErrorViewer = { signedIn: boolean };

/**
 * An authorization-endpoint error. It redirects only when it carries a validated target and that
 * target is trusted for this viewer; everything else renders locally.
 */
export class AuthorizeError extends OAuthError {
  readonly target: RedirectTarget | undefined;

  constructor(code: OAuthErrorCode, description: string, target?: RedirectTarget) {
    super(code, description);
    this.name = 'AuthorizeError';
    this.target = target;
  }

  /** Whether the answer depends on the viewer (a validated target trusted only after sign-in). */
  get needsViewer(): boolean {
    return this.target?.trust === 'after-sign-in';
  }

  mayRedirect(viewer: ErrorViewer): boolean {
    if (!this.target) return false;
    return this.target.trust === 'registered-client' || viewer.signedIn;
  }

  /** The error redirect (RFC 6749 §4.1.2.1), or undefined when the error must be shown locally. */
  redirectUrl(viewer: ErrorViewer): string | undefined {
    if (!this.target || !this.mayRedirect(viewer)) return undefined;
    return authorizationResponseUrl(this.target, {
      error: this.code,
      error_description: this.message,
    });
  }
}
