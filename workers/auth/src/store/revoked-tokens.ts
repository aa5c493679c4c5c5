// KV `revoked-jti:<jti>`: access tokens revoked before they expire (RFC 7009). The entry expires
// with the token, so the list never outgrows the live tokens.
export async function revokeJti(kv: KVNamespace, jti: string, exp: number): Promise<void> {
  const ttl = Math.max(60, exp - Math.floor(Date.now() / 1000) + 60);
  await kv.put(`revoked-jti:${jti}`, '1', { expirationTtl: ttl });
}

export async function isJtiRevoked(kv: KVNamespace, jti: string): Promise<boolean> {
  return (await kv.get(`revoked-jti:${jti}`)) !== null;
}
