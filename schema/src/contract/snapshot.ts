// The configuration snapshot a data plane enforces: every resource keyed by id.
import { z } from 'zod';
import { type SnapshotLimit, snapshotLimit } from './limits.ts';

const id = z.string().min(1);
const isoTime = z.string().datetime({ offset: true });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
export const entityStatus = z.enum(['active', 'suspended']);

export const snapshotOrg = z
  .object({
    id,
    name: z.string(),
    status: entityStatus,
    /**
     * Names of the models the org may use. Absent = every model (the default, and how snapshots
     * written before per-org availability existed read); present = only these, possibly none.
     */
    allowedModels: z.array(z.string()).optional(),
    /**
     * Present (true) when the org keeps serving while budgets cannot be checked (the control plane unreachable and
     * a lease spent), marking those usage records; absent = fail-closed, the default.
     */
    budgetFailOpen: z.literal(true).optional(),
  })
  .strict();
export const snapshotTeam = z.object({ id, orgId: id, name: z.string(), status: entityStatus }).strict();
export const snapshotUser = z
  .object({ id, orgId: id, teamIds: z.array(id), email: z.string(), status: entityStatus })
  .strict();

/** The secret a rotation replaced: accepted until `expiresAt` (the grace period), then refused. */
export const snapshotPreviousSecret = z.object({ hash: sha256, expiresAt: isoTime }).strict();

/**
 * A virtual key as the data plane sees it: only the SHA-256 hex of the secret, never the secret.
 * Owned by exactly one user (`userId`; `teamId` is then the team its usage is attributed to, one of the user's
 * teams, or null) or one team (`userId` null, `teamId` set).
 */
export const snapshotKey = z
  .object({
    id,
    hash: sha256,
    prefix: z.string(),
    orgId: id,
    teamId: id.nullable(),
    userId: id.nullable(),
    /** null = every model the org may use. */
    allowedModels: z.array(z.string()).nullable(),
    expiresAt: isoTime.nullable(),
    /**
     * The module the key's requests are attributed to (x-gateway-module may only repeat it). Absent = none: the
     * control plane leaves the field out then, so keys look as they did before modules existed.
     */
    moduleId: id.optional(),
    /** The secret the last rotation replaced, while it may still be accepted. Absent = none (as moduleId). */
    previous: snapshotPreviousSecret.optional(),
  })
  .strict();

/** A module of the product's catalogue; callers name it by `key` in the x-gateway-module header. */
export const snapshotModule = z.object({ id, key: z.string().min(1), status: entityStatus }).strict();

/** A module enabled for an org; `allowedModels` null = every model the org's keys may use. */
export const snapshotOrgModule = z
  .object({ id, orgId: id, moduleId: id, allowedModels: z.array(z.string()).nullable() })
  .strict();

export const providerKind = z.enum(['openai']);
export type ProviderKind = z.infer<typeof providerKind>;

/** A provider credential. `apiKey` is plaintext in transit (authenticated channel) and encrypted on disk. */
export const snapshotCredential = z
  .object({ id, provider: providerKind, baseUrl: z.string().url(), apiKey: z.string() })
  .strict();

export const snapshotDeployment = z
  .object({ credentialId: id, upstreamModel: z.string().min(1), weight: z.number().positive() })
  .strict();

/** Prices in USD per million tokens. */
export const snapshotPrices = z
  .object({
    inputPerMTok: z.number().nonnegative(),
    outputPerMTok: z.number().nonnegative(),
    cachedInputPerMTok: z.number().nonnegative(),
  })
  .strict();

export const snapshotModel = z
  .object({ id, name: z.string().min(1), deployments: z.array(snapshotDeployment).min(1), prices: snapshotPrices })
  .strict();

export const resourceKinds = [
  'orgs',
  'teams',
  'users',
  'keys',
  'credentials',
  'models',
  'modules',
  'orgModules',
  'limits',
] as const;
export type ResourceKind = (typeof resourceKinds)[number];

/**
 * Kinds added after the first release. Each is present only when it holds something, so that a snapshot without
 * them looks exactly as before (older data planes accept it, and snapshots they persisted still load).
 */
export const optionalKinds: readonly ResourceKind[] = ['modules', 'orgModules', 'limits'];

/** Removes the optional kinds that hold nothing from a snapshot's records (changed in place). */
export function dropEmptyOptionalKinds(records: Partial<Record<ResourceKind, Record<string, unknown>>>): void {
  for (const kind of optionalKinds) {
    if (records[kind] && Object.keys(records[kind]).length === 0) delete records[kind];
  }
}

export const snapshotSchema = z
  .object({
    orgs: z.record(z.string(), snapshotOrg),
    teams: z.record(z.string(), snapshotTeam),
    users: z.record(z.string(), snapshotUser),
    keys: z.record(z.string(), snapshotKey),
    credentials: z.record(z.string(), snapshotCredential),
    models: z.record(z.string(), snapshotModel),
    /** Present only when not empty (see optionalKinds). */
    modules: z.record(z.string(), snapshotModule).optional(),
    orgModules: z.record(z.string(), snapshotOrgModule).optional(),
    /** Budgets and rate limits per scope (limits.ts). */
    limits: z.record(z.string(), snapshotLimit).optional(),
  })
  .strict();

export type SnapshotOrg = z.infer<typeof snapshotOrg>;
export type SnapshotTeam = z.infer<typeof snapshotTeam>;
export type SnapshotUser = z.infer<typeof snapshotUser>;
export type SnapshotKey = z.infer<typeof snapshotKey>;
export type SnapshotCredential = z.infer<typeof snapshotCredential>;
export type SnapshotModel = z.infer<typeof snapshotModel>;
export type SnapshotDeployment = z.infer<typeof snapshotDeployment>;
export type SnapshotModule = z.infer<typeof snapshotModule>;
export type SnapshotOrgModule = z.infer<typeof snapshotOrgModule>;
export type Snapshot = z.infer<typeof snapshotSchema>;

export function emptySnapshot(): Snapshot {
  return { orgs: {}, teams: {}, users: {}, keys: {}, credentials: {}, models: {} };
}

/** The resource type of each kind. */
export interface ResourceTypes {
  orgs: SnapshotOrg;
  teams: SnapshotTeam;
  users: SnapshotUser;
  keys: SnapshotKey;
  credentials: SnapshotCredential;
  models: SnapshotModel;
  modules: SnapshotModule;
  orgModules: SnapshotOrgModule;
  limits: SnapshotLimit;
}
export type AnyResource = ResourceTypes[ResourceKind];
