// Environment validation: defaults, parsing, and every problem reported at once.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const masterKey = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h/db', MASTER_KEY: masterKey, DATA_PLANE_TOKEN: 'dp' });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 4000, introspection: true, logLevel: 'info', corsOrigins: [] });
    expect(c).toMatchObject({ maxQueryAliases: 30, maxQueryTokens: 1000, maxResponseBytes: 4 * 1024 * 1024 });
    expect(c.masterKey).toHaveLength(32);
    expect(c.adminToken).toBeUndefined();
    expect(c.seedAdmin).toBeUndefined();
  });

  it('parses optional settings', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgresql://u@h/db',
      MASTER_KEY: masterKey,
      DATA_PLANE_TOKEN: 'dp',
      CP_PORT: '0',
      CORS_ORIGINS: 'http://a.example/, http://b.example',
      GRAPHQL_INTROSPECTION: 'false',
      GRAPHQL_MAX_ALIASES: '5',
      GRAPHQL_MAX_TOKENS: '3000',
      GRAPHQL_MAX_RESPONSE_BYTES: '1048576',
      SEED_ADMIN_EMAIL: 'a@b.co',
      SEED_ADMIN_PASSWORD: 'long enough',
    });
    expect(c.port).toBe(0);
    expect(c.corsOrigins).toEqual(['http://a.example', 'http://b.example']);
    expect(c.introspection).toBe(false);
    expect(c).toMatchObject({ maxQueryAliases: 5, maxQueryTokens: 3000, maxResponseBytes: 1_048_576 });
    expect(c.seedAdmin).toEqual({ email: 'a@b.co', password: 'long enough' });
  });

  it('reads TRUSTED_PROXIES and refuses entries that are not addresses or ranges', () => {
    const base = { DATABASE_URL: 'postgres://u@h/db', MASTER_KEY: masterKey, DATA_PLANE_TOKEN: 'dp' };
    expect(loadConfig(base).trustedProxies).toBeNull();
    const c = loadConfig({ ...base, TRUSTED_PROXIES: '10.0.0.0/8, ::1' });
    expect(c.trustedProxies?.check('10.20.30.40', 'ipv4')).toBe(true);
    expect(c.trustedProxies?.check('11.0.0.1', 'ipv4')).toBe(false);
    expect(() => loadConfig({ ...base, TRUSTED_PROXIES: '10.0.0.0/8, lb.internal' })).toThrow(
      'TRUSTED_PROXIES: not an address or CIDR range: lb.internal',
    );
  });

  it('reads the usage retention settings: unset keeps forever; rollups never go before the records they sum', () => {
    const base = { DATABASE_URL: 'postgres://u@h/db', MASTER_KEY: masterKey, DATA_PLANE_TOKEN: 'dp' };
    expect(loadConfig(base)).toMatchObject({ usageRecordsRetentionMonths: null, usageRollupsRetentionMonths: null });
    expect(
      loadConfig({ ...base, USAGE_RECORDS_RETENTION_MONTHS: '13', USAGE_ROLLUPS_RETENTION_MONTHS: '' }),
    ).toMatchObject({ usageRecordsRetentionMonths: 13, usageRollupsRetentionMonths: null });
    expect(
      loadConfig({ ...base, USAGE_RECORDS_RETENTION_MONTHS: '3', USAGE_ROLLUPS_RETENTION_MONTHS: '36' }),
    ).toMatchObject({ usageRecordsRetentionMonths: 3, usageRollupsRetentionMonths: 36 });
    expect(() => loadConfig({ ...base, USAGE_RECORDS_RETENTION_MONTHS: '0' })).toThrow(
      'USAGE_RECORDS_RETENTION_MONTHS: must be at least 1 (leave it unset to keep usage records forever)',
    );
    expect(() =>
      loadConfig({ ...base, USAGE_RECORDS_RETENTION_MONTHS: '12', USAGE_ROLLUPS_RETENTION_MONTHS: '6' }),
    ).toThrow('USAGE_ROLLUPS_RETENTION_MONTHS: must be at least USAGE_RECORDS_RETENTION_MONTHS');
    expect(() => loadConfig({ ...base, USAGE_ROLLUPS_RETENTION_MONTHS: '24' })).toThrow(
      'USAGE_ROLLUPS_RETENTION_MONTHS: needs USAGE_RECORDS_RETENTION_MONTHS set too',
    );
  });

  it('reports every problem at once, without echoing secret values', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ MASTER_KEY: 'c2hvcnQ=', CP_PORT: 'x', SEED_ADMIN_EMAIL: 'a@b.co', ADMIN_TOKEN: '' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const fields = error!.problems.map((p) => p.split(':')[0]);
    expect(fields).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'MASTER_KEY', 'DATA_PLANE_TOKEN', 'CP_PORT', 'SEED_ADMIN_PASSWORD']),
    );
    expect(error!.message).not.toContain('c2hvcnQ=');
  });
});
