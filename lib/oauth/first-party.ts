// Moat's own OAuth clients, known to the AS without registration (docs/oauth.md "Control
// plane"). Only these may obtain `moat:api`: a self-registered client is whoever registered it,
// and a token for the control plane acts as the user on everything they own. The `moat` CLI is a
// public native client (RFC 8252): PKCE, no secret, a loopback redirect on any port (§7.3).
export const MOAT_CLI_CLIENT_ID = 'moat-cli';
export const MOAT_CLI_CLIENT_NAME = 'Moat CLI';
export const MOAT_CLI_REDIRECT_URI = 'http://127.0.0.1/callback';

export const isFirstPartyClient = (clientId: string): boolean => clientId === MOAT_CLI_CLIENT_ID;
