// Webhook signing secrets and signatures: `whsec_` secrets, and the v1 signature a receiver checks (docs/webhooks.md):
// hex HMAC-SHA256, keyed with the whole secret string, over "<unix seconds>.<raw body>".
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'x-gateway-webhook-signature';
export const timestampHeader = 'x-gateway-webhook-timestamp';
export const idHeader = 'x-gateway-webhook-id';

/** A new signing secret: `whsec_` + 32 random bytes in base64url (256 bits). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The value of the signature header for `body` sent at `timestamp` (unix seconds). */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The headers of one delivery attempt. */
export function signedHeaders(secret: string, deliveryId: string, body: string, now = Date.now()) {
  const timestamp = Math.floor(now / 1000);
  return {
    [idHeader]: deliveryId,
    [timestampHeader]: String(timestamp),
    [signatureHeader]: webhookSignature(secret, timestamp, body),
  };
}

/** What a receiver does (docs/webhooks.md): a fresh timestamp and a matching v1 signature, compared in constant time. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowMs = Date.now(),
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  return (headers.signature ?? '').split(/\s+/).some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
