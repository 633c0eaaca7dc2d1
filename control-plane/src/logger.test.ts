// The logger's redaction: a secret under any of the keys that hold secrets, at the top of a log object or below
// (request headers, connection params, an error's own fields), is replaced before the line is written.
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

const secret = 'gw-never-in-a-log-0123456789';

describe('log redaction', () => {
  it.each([
    ['a bearer header', { authorization: `Bearer ${secret}` }],
    ['request headers', { req: { headers: { authorization: `Bearer ${secret}`, 'x-api-key': secret } } }],
    ['graphql-ws connection params', { ctx: { connectionParams: { authorization: `Bearer ${secret}` } } }],
    ['an error carrying headers', { err: Object.assign(new Error('boom'), { headers: { authorization: secret } }) }],
    ['a credential', { input: { apiKey: secret } }],
    ['passwords', { password: secret, args: { newPassword: secret, currentPassword: secret } }],
    ['tokens and secrets', { token: secret, payload: { token: secret }, key: { secret } }],
    ['the configuration', { config: { dataPlaneToken: secret, masterKey: secret, metricsToken: secret } }],
  ])('redacts %s', (_, fields) => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    logger.error(fields, 'something failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain('[redacted]');
  });
});
