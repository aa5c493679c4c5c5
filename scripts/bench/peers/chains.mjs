// Refresh chains for the refresh_token phase: each connection rotates its own chain, so every
// refresh token is presented exactly once by the generator. Checked as it runs: a token is never
// sent twice and every 200 answers with a token not seen before (RFC 9700 §4.14.2 rotation).
export function refreshChains(tokens) {
  const current = [...tokens];
  const previous = [];
  const spent = []; // rotated tokens whose successor was used too: any replay is reuse
  const seen = new Set(tokens);
  const problems = [];
  return {
    /** `send(token)` → { status, refreshToken? }; rotates connection `conn`'s chain once. */
    async rotate(conn, send) {
      const presented = current[conn];
      const { status, refreshToken } = await send(presented);
      if (status === 200) {
        if (!refreshToken || seen.has(refreshToken))
          problems.push(`a rotation answered with ${refreshToken ? 'a reused' : 'no'} token`);
        else {
          seen.add(refreshToken);
          if (previous[conn]) spent.push(previous[conn]);
          previous[conn] = presented;
          current[conn] = refreshToken;
        }
      } else if (typeof status === 'number' && status < 500)
        problems.push(`a rotation answered ${status} (the chain is broken)`);
      return status;
    },
    /**
     * For the replay check: a token rotated twice over (its successor used too), so a replay is
     * reuse even where a grace window forgives the replay of a just-rotated token (docs/oauth.md).
     */
    rotated: () => spent[0] ?? previous.find(Boolean),
    problems,
  };
}
