// The logger's redaction: a secret under any of the keys that hold secrets, at the top of a log object or below
// (request headers, an error's own fields), is replaced before the line is written.
import { describe, expect, it } from 'vitest';
import { capturingLogger } from './logger.ts';

const secret = 'sk-never-in-a-log-0123456789';

describe('log redaction', () => {
  it.each([
    ['a bearer header', { authorization: `Bearer ${secret}` }],
    ['request headers', { req: { headers: { authorization: `Bearer ${secret}`, 'x-api-key': secret } } }],
    ['headers', { headers: { 'x-api-key': secret } }],
    ['an error carrying headers', { err: Object.assign(new Error('boom'), { headers: { authorization: secret } }) }],
    ['a credential', { credential: { apiKey: secret } }],
    ['passwords', { input: { password: secret, newPassword: secret, currentPassword: secret } }],
    ['tokens and secrets', { token: secret, key: { secret }, session: { token: secret } }],
    ['the configuration', { config: { dataPlaneToken: secret, metricsToken: secret, masterKey: secret } }],
  ])('redacts %s', (_, fields) => {
    const { logger, lines } = capturingLogger();
    logger.error(fields, 'something failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain('[redacted]');
  });
});
