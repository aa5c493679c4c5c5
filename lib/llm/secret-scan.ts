// Prompts are sent to a third-party model: one that carries what looks like a pasted credential is
// refused before anything leaves the platform. Returns what kind of credential it looks like (never
// the value), so the message can tell the user what to remove.
const PATTERNS: { kind: string; re: RegExp }[] = [
  { kind: 'a private key', re: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/ },
  {
    kind: 'a JSON Web Token',
    re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  },
  { kind: 'an Anthropic API key', re: /\bsk-ant-[A-Za-z0-9_-]{20,}/ },
  { kind: 'an OpenAI API key', re: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}/ },
  { kind: 'a GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { kind: 'an AWS access key', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'a Stripe key', re: /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}/ },
  { kind: 'a Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'a Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'a Moat API key', re: /\bmoat_sk_[A-Za-z0-9_-]{16,}/ },
  { kind: 'a bearer token', re: /\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*/i },
  {
    kind: 'a credential assignment',
    re: /\b(?:api[_-]?key|secret|token|password|passwd|client[_-]?secret|access[_-]?key)\b["']?\s*[:=]\s*["']?[A-Za-z0-9_\-./+=]{16,}/i,
  },
];

/** The kind of credential the text seems to contain, or undefined. */
export function findCredential(text: string): string | undefined {
  return PATTERNS.find((p) => p.re.test(text))?.kind;
}
