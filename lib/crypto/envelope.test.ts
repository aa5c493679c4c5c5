import { describe, expect, it } from 'vitest';
import { MasterKeyError, openSecret, sealSecret, secretAad } from './envelope';

const MASTER = 'dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMtISE=';

describe('envelope encryption', () => {
  it('round-trips a value and never stores it in clear', async () => {
    const env = await sealSecret(MASTER, 'sk_live_123', secretAad('srv_a', 'API_KEY'));
    expect(JSON.stringify(env)).not.toContain('sk_live_123');
    expect(env.keyVersion).toBe(1);
    expect(await openSecret(MASTER, env, secretAad('srv_a', 'API_KEY'))).toBe('sk_live_123');
  });

  it('uses a fresh data key and IV for every seal', async () => {
    const a = await sealSecret(MASTER, 'same', 'x');
    const b = await sealSecret(MASTER, 'same', 'x');
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
  });

  it('refuses to open an envelope moved to another row', async () => {
    const env = await sealSecret(MASTER, 'v', secretAad('srv_a', 'API_KEY'));
    await expect(openSecret(MASTER, env, secretAad('srv_b', 'API_KEY'))).rejects.toThrow();
  });

  it('refuses to open under another master key', async () => {
    const env = await sealSecret(MASTER, 'v', 'x');
    const other = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
    await expect(openSecret(other, env, 'x')).rejects.toThrow();
  });

  it('rejects a master key that is not 32 bytes', async () => {
    await expect(sealSecret('c2hvcnQ=', 'v', 'x')).rejects.toBeInstanceOf(MasterKeyError);
  });
});
