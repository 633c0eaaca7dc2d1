// AES-256-GCM encryption of provider secrets at rest under the MASTER_KEY.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What is stored per secret: all three parts are needed to decrypt, and the tag detects tampering. */
export interface SealedSecret {
  ciphertext: Buffer;
  /** 12 random bytes, fresh for every secret: GCM must never reuse an IV under one key. */
  iv: Buffer;
  /** 16-byte GCM authentication tag. */
  tag: Buffer;
}

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox key must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  seal(plaintext: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, tag: cipher.getAuthTag() };
  }

  /** Throws when the data was altered or sealed under another key. */
  open(sealed: SealedSecret): string {
    const decipher = createDecipheriv('aes-256-gcm', this.#key, sealed.iv);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  }
}

/** A display hint that identifies a secret without revealing it, e.g. `sk-...abcd`. */
export function secretHint(secret: string): string {
  const last4 = secret.length >= 12 ? secret.slice(-4) : '';
  const dash = secret.indexOf('-');
  const head = dash > 0 && dash <= 4 ? secret.slice(0, dash + 1) : '';
  return `${head}...${last4}`;
}
