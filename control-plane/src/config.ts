// The control plane's whole configuration, read from the environment once and validated with every problem reported together.
import type { BlockList } from 'node:net';
import { z } from 'zod';
import { parseTrustedProxies } from './http/client-address.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  DATABASE_URL: z
    .string({ error: 'is required' })
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL'),
  CP_HOST: z.string().min(1).default('127.0.0.1'),
  CP_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  MASTER_KEY: z
    .string({ error: 'is required' })
    .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
    }),
  // No minimum length is enforced (test rigs use short tokens); main.ts warns about short ones.
  DATA_PLANE_TOKEN: z.string({ error: 'is required' }),
  ADMIN_TOKEN: z.string().optional(),
  SEED_ADMIN_EMAIL: z.email('must be an email address').optional(),
  SEED_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  CORS_ORIGINS: z.string().optional(),
  TRUSTED_PROXIES: z.string().optional(),
  GRAPHQL_INTROSPECTION: bool.default(true),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(30),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(10_000).default(1_000),
  GRAPHQL_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(1024 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  // Unset = keep forever. Counted in whole UTC months before the current one (see docs/operations.md).
  USAGE_RECORDS_RETENTION_MONTHS: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1 (leave it unset to keep usage records forever)')
    .max(1200)
    .optional(),
  USAGE_ROLLUPS_RETENTION_MONTHS: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1 (leave it unset to keep usage rollups forever)')
    .max(1200)
    .optional(),
  // Budget leases (PROTOCOL.md, "Budgets and rate limits"): how long a grant lasts unrenewed, and how much longer
  // the control plane waits before it reclaims the unspent part.
  BUDGET_LEASE_TTL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
  BUDGET_LEASE_RECLAIM_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Rules across variables, checked on the raw values so they are reported even when other variables are invalid. */
function crossProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (Boolean(env.SEED_ADMIN_EMAIL) !== Boolean(env.SEED_ADMIN_PASSWORD)) {
    const missing = env.SEED_ADMIN_EMAIL ? 'SEED_ADMIN_PASSWORD' : 'SEED_ADMIN_EMAIL';
    problems.push(`${missing}: SEED_ADMIN_EMAIL and SEED_ADMIN_PASSWORD must be set together`);
  }
  if (env.ADMIN_TOKEN && env.ADMIN_TOKEN === env.DATA_PLANE_TOKEN) {
    problems.push('ADMIN_TOKEN: must differ from DATA_PLANE_TOKEN');
  }
  const records = Number(env.USAGE_RECORDS_RETENTION_MONTHS);
  const rollups = Number(env.USAGE_ROLLUPS_RETENTION_MONTHS);
  if (env.USAGE_ROLLUPS_RETENTION_MONTHS !== undefined && Number.isInteger(rollups)) {
    // The rollups sum the records: dropping them first would leave records that no usage query can see.
    if (env.USAGE_RECORDS_RETENTION_MONTHS === undefined) {
      problems.push(
        'USAGE_ROLLUPS_RETENTION_MONTHS: needs USAGE_RECORDS_RETENTION_MONTHS set too (rollups outlive the records)',
      );
    } else if (Number.isInteger(records) && rollups < records) {
      problems.push('USAGE_ROLLUPS_RETENTION_MONTHS: must be at least USAGE_RECORDS_RETENTION_MONTHS');
    }
  }
  const { bad } = parseTrustedProxies(env.TRUSTED_PROXIES ?? '');
  if (bad.length) problems.push(`TRUSTED_PROXIES: not an address or CIDR range: ${bad.join(', ')}`);
  return problems;
}

export interface Config {
  databaseUrl: string;
  host: string;
  port: number;
  masterKey: Buffer;
  dataPlaneToken: string;
  adminToken: string | undefined;
  seedAdmin: { email: string; password: string } | undefined;
  /** Allowed browser origins; `['*']` allows any. Empty = no CORS headers. */
  corsOrigins: string[];
  /**
   * Reverse proxies whose X-Forwarded-For names the client (login throttling counts per client address); null =
   * none, the TCP peer is the client.
   */
  trustedProxies: BlockList | null;
  introspection: boolean;
  /** Deepest selection nesting a request may have. */
  maxQueryDepth: number;
  /** Highest estimated cost a request may have (fields times the page sizes of the lists above them). */
  maxQueryCost: number;
  /** Aliased fields a request may select (fragments counted as often as they are spread). */
  maxQueryAliases: number;
  /** Lexical tokens a request's document may have (parsing and validation time grow with it). */
  maxQueryTokens: number;
  /** Largest serialized result sent to an admin caller, in bytes; larger ones become RESPONSE_TOO_LARGE. */
  maxResponseBytes: number;
  /** Whole UTC months of raw usage records kept before the current one; null = forever. */
  usageRecordsRetentionMonths: number | null;
  /** The same for the hourly and daily rollups (never fewer than the records'); null = forever. */
  usageRollupsRetentionMonths: number | null;
  /** A budget lease not renewed within this long is no longer used by its data plane. */
  budgetLeaseTtlMs: number;
  /** After the TTL, how long the control plane waits before it counts a lease's unspent grant as free again. */
  budgetLeaseReclaimGraceMs: number;
  logLevel: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment; throws a ConfigError listing every problem (never the values: some are secrets). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset", as shells and compose files often export blank variables.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`)),
    ...crossProblems(present),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    host: e.CP_HOST,
    port: e.CP_PORT,
    masterKey: Buffer.from(e.MASTER_KEY, 'base64'),
    dataPlaneToken: e.DATA_PLANE_TOKEN,
    adminToken: e.ADMIN_TOKEN,
    seedAdmin:
      e.SEED_ADMIN_EMAIL && e.SEED_ADMIN_PASSWORD
        ? { email: e.SEED_ADMIN_EMAIL, password: e.SEED_ADMIN_PASSWORD }
        : undefined,
    corsOrigins: (e.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    trustedProxies: parseTrustedProxies(e.TRUSTED_PROXIES ?? '').list,
    introspection: e.GRAPHQL_INTROSPECTION,
    maxQueryDepth: e.GRAPHQL_MAX_DEPTH,
    maxQueryCost: e.GRAPHQL_MAX_COST,
    maxQueryAliases: e.GRAPHQL_MAX_ALIASES,
    maxQueryTokens: e.GRAPHQL_MAX_TOKENS,
    maxResponseBytes: e.GRAPHQL_MAX_RESPONSE_BYTES,
    usageRecordsRetentionMonths: e.USAGE_RECORDS_RETENTION_MONTHS ?? null,
    usageRollupsRetentionMonths: e.USAGE_ROLLUPS_RETENTION_MONTHS ?? null,
    budgetLeaseTtlMs: e.BUDGET_LEASE_TTL_MS,
    budgetLeaseReclaimGraceMs: e.BUDGET_LEASE_RECLAIM_GRACE_MS,
    logLevel: e.LOG_LEVEL,
  };
}
