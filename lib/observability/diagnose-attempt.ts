// The outcome of an authorization attempt, its first failing step and a plain-language diagnosis
// for the server's owner (docs/observability.md "Diagnoses"). Pure: the steps as recorded, what
// the server expects, and the clock.
import type {
  AttemptOutcome,
  AttemptStep,
  ConnectionStep,
  Diagnosis,
} from '../api/connection-attempts';
import { CONNECTION_STEPS } from '../api/connection-attempts';
import { ATTRIBUTION_WINDOW_MS } from '../db/connection-events';

/** An attempt with no step for this long is over: abandoned or never used. */
export const ABANDONED_AFTER_MS = ATTRIBUTION_WINDOW_MS;

export type ServerExpectation = { resource: string; scopes: readonly string[] };

export type Judgement = {
  outcome: AttemptOutcome;
  failedStep?: ConnectionStep;
  diagnosis?: Diagnosis;
};

const rank = (s: ConnectionStep) => CONNECTION_STEPS.indexOf(s);
const text = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));

function failureDiagnosis(s: AttemptStep, server: ServerExpectation): Diagnosis {
  const d = s.detail;
  const reason = text(d.reason);
  const said = d.description ? ` (${text(d.description)})` : '';
  switch (reason) {
    case 'resource_mismatch':
      return {
        code: 'resource_mismatch',
        message: `The client asked for resource "${text(d.resource) || '(none)'}", but this server's resource is "${server.resource}". Point the client at ${server.resource} (RFC 8707: the resource must name this server's MCP URL).`,
      };
    case 'redirect_uri_not_registered': {
      const list = Array.isArray(d.registeredRedirectUris) ? d.registeredRedirectUris : [];
      return {
        code: 'redirect_uri_not_registered',
        message: `The client sent redirect_uri "${text(d.redirectUri)}", which it did not register (registered: ${list.join(', ') || 'none'}). The client must register every redirect URI it uses.`,
      };
    }
    case 'redirect_uri_missing':
      return {
        code: 'redirect_uri_missing',
        message:
          'The authorization request has no redirect_uri; Moat requires one on every request.',
      };
    case 'pkce_missing':
      return {
        code: 'pkce_missing',
        message:
          'The client sent no PKCE code_challenge with code_challenge_method=S256. Moat requires PKCE for every client (OAuth 2.1 §4.1.1); the client must be updated.',
      };
    case 'consent_denied':
      return { code: 'consent_denied', message: 'The user denied access on the consent page.' };
    case 'consent_form_expired':
      return {
        code: 'consent_form_expired',
        message:
          'The consent form had expired or was forged; the user must start again from the app.',
      };
    case 'no_access':
      return {
        code: 'no_access',
        message: `The signed-in user may not use this server (its visibility or their membership)${said}.`,
      };
    case 'unknown_scope':
      return {
        code: 'unknown_scope',
        message: `The client asked for a scope this server does not have${said}. It offers: ${server.scopes.join(' ') || 'none'}.`,
      };
    case 'invalid_client':
      return {
        code: 'invalid_client',
        message: `The client_id is not known here${said}: an unused registration expired, or the client registered elsewhere. It must register again.`,
      };
    case 'login_required':
    case 'consent_required':
      return {
        code: reason,
        message: `The client asked for no user interaction (prompt=none) but the user must ${reason === 'login_required' ? 'sign in' : 'consent'} first.`,
      };
  }
  if (s.step === 'mcp_request') {
    if (d.status === 401 && d.reason === 'wrong_audience') {
      return {
        code: 'resource_mismatch',
        message: `The client presented a token issued for another resource; this server accepts only tokens for ${server.resource}.`,
      };
    }
    if (d.status === 401 && d.reason === 'expired') {
      return {
        code: 'token_expired',
        message: 'The client kept using an expired access token instead of refreshing it.',
      };
    }
    if (d.status === 401 && d.reason === 'revoked') {
      return { code: 'token_revoked', message: 'The client used a token whose grant was revoked.' };
    }
    if (d.status === 403) {
      return {
        code: 'insufficient_scope',
        message: `The token lacks the scope ${text(d.needed)} the request needs (it has: ${text(d.granted) || 'none'}).`,
      };
    }
  }
  if (s.step === 'token' && d.error === 'invalid_target') {
    return {
      code: 'resource_mismatch',
      message: `The token request named resource "${text(d.resource)}", not this server's ${server.resource}.`,
    };
  }
  const error = text(d.error) || 'failed';
  return {
    code: `${s.step}_${error}`,
    message: `The ${s.step.replace('_', ' ')} step failed: ${error}${said}.`,
  };
}

const ABANDONED: Record<ConnectionStep, Diagnosis> = {
  discovery: {
    code: 'never_registered',
    message:
      'The client read the discovery metadata but never registered or sent the user to authorize: it may not support this server’s OAuth setup.',
  },
  registration: {
    code: 'never_authorized',
    message: 'The client registered but never sent the user to the authorization page.',
  },
  authorize: {
    code: 'abandoned_authorization',
    message: 'The user was sent to sign in or consent and did not finish.',
  },
  login: {
    code: 'abandoned_consent',
    message: 'The user signed in but never answered the consent page.',
  },
  consent: {
    code: 'code_never_exchanged',
    message:
      'The user approved, but the client never exchanged the authorization code: check that its redirect URI reaches it.',
  },
  token: {
    code: 'token_never_used',
    message: 'A token was issued but the client never used it at this server.',
  },
  mcp_request: { code: 'unknown', message: 'The attempt stopped.' },
};

/** The next step after the furthest one reached, where an abandoned attempt stopped. */
function nextStep(furthest: ConnectionStep): ConnectionStep {
  return CONNECTION_STEPS[Math.min(rank(furthest) + 1, CONNECTION_STEPS.length - 1)]!;
}

export function judgeAttempt(
  steps: readonly AttemptStep[],
  server: ServerExpectation,
  now = Date.now(),
): Judgement {
  if (steps.some((s) => s.step === 'mcp_request' && s.ok)) return { outcome: 'succeeded' };
  // A failure later recovered from (a retried login, a second authorize) does not end the attempt.
  const failed = steps.find(
    (s, i) => !s.ok && !steps.slice(i + 1).some((t) => t.ok && rank(t.step) >= rank(s.step)),
  );
  if (failed) {
    return {
      outcome: 'failed',
      failedStep: failed.step,
      diagnosis: failureDiagnosis(failed, server),
    };
  }
  const lastAt = steps.reduce((m, s) => Math.max(m, s.at), 0);
  if (now - lastAt < ABANDONED_AFTER_MS) return { outcome: 'in_progress' };
  const furthest = steps.reduce<ConnectionStep>(
    (m, s) => (rank(s.step) > rank(m) ? s.step : m),
    'discovery',
  );
  // A remembered consent issues the code straight from /authorize.
  const codeIssued = steps.some((s) => s.step === 'authorize' && s.detail.next === 'code');
  const atConsent =
    furthest === 'authorize' &&
    steps.some((s) => s.step === 'authorize' && s.detail.next === 'consent');
  if (atConsent) return { outcome: 'failed', failedStep: 'consent', diagnosis: ABANDONED.login };
  const stopped = codeIssued && rank(furthest) < rank('token') ? 'token' : nextStep(furthest);
  const diagnosis =
    stopped === 'token'
      ? ABANDONED.consent
      : ABANDONED[furthest === 'mcp_request' ? 'token' : furthest];
  return { outcome: 'failed', failedStep: stopped, diagnosis };
}
