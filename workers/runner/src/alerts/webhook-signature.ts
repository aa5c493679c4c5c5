// The signature on every alert delivery (docs/observability.md "Alerts"):
// `X-Moat-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. Signing
// the time with the body lets a receiver refuse replays (older than 5 minutes, say) by `t`.
export async function signatureHeader(secret: string, body: string, at: number): Promise<string> {
  const t = Math.floor(at / 1000);
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${t}.${body}`));
  const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `t=${t},v1=${hex}`;
}
