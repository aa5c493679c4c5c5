// The two addresses of the per-user connection flow on the auth Worker (docs/connections.md), in
// one place for the auth Worker (which serves them), the runner (which links to reconnect) and
// web/ (which shows the redirect URI to register).

/** The one redirect URI to register at every provider: `{ISSUER}/connections/callback`. */
export function connectionCallbackUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/connections/callback`;
}

/** Where a signed-in user links or relinks one connection (the runner's reconnect link). */
export function connectionConnectUrl(issuer: string, serverId: string, name: string): string {
  return `${issuer.replace(/\/+$/, '')}/connections/${encodeURIComponent(serverId)}/${encodeURIComponent(name)}/connect`;
}
