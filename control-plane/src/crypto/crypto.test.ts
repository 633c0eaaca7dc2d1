// Secret sealing (AES-256-GCM), key/session token formats and password hashing.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.ts';
import { SecretBox, secretHint } from './secret-box.ts';
import { newSessionToken, newVirtualKeySecret, sha256Hex } from './tokens.ts';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and uses a fresh IV every time', () => {
    const a = box.seal('sk-live-secret');
    const b = box.seal('sk-live-secret');
    expect(a.iv).toHaveLength(12);
    expect(a.tag).toHaveLength(16);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.ciphertext.toString('utf8')).not.toContain('secret');
    expect(box.open(a)).toBe('sk-live-secret');
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const sealed = box.seal('sk-live-secret');
    const flip = (buf: Buffer) => {
      const copy = Buffer.from(buf);
      copy[0] ^= 1;
      return copy;
    };
    expect(() => box.open({ ...sealed, ciphertext: flip(sealed.ciphertext) })).toThrow();
    expect(() => box.open({ ...sealed, tag: flip(sealed.tag) })).toThrow();
    expect(() => box.open({ ...sealed, iv: flip(sealed.iv) })).toThrow();
  });

  it('refuses a secret sealed under another master key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(box.seal('x'))).toThrow();
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow();
  });

  it('hints without revealing', () => {
    expect(secretHint('sk-proj-abcdefghijklmnop')).toBe('sk-...mnop');
    expect(secretHint('short')).toBe('...');
    expect(secretHint('abcdefghijklmnopqrst')).toBe('...qrst');
  });
});

describe('tokens', () => {
  it('makes virtual keys in the documented format', () => {
    const { secret, hash, prefix } = newVirtualKeySecret();
    expect(secret).toMatch(/^sk-gw-[0-9A-Za-z]{40}$/);
    expect(hash).toBe(sha256Hex(secret));
    expect(prefix).toBe(secret.slice(0, 12));
    expect(newVirtualKeySecret().secret).not.toBe(secret);
  });

  it('makes session tokens stored only as their hash', () => {
    const { token, hash } = newSessionToken();
    expect(token).toMatch(/^gws_[0-9A-Za-z]{43}$/);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(sha256Hex(token));
  });
});

describe('passwords', () => {
  it('verifies the right password only', async () => {
    const stored = await hashPassword('hunter2 hunter2');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('hunter2');
    expect(await verifyPassword('hunter2 hunter2', stored)).toBe(true);
    expect(await verifyPassword('hunter2 hunter3', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});
