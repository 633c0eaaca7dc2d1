// The configuration snapshot a data plane enforces: every resource keyed by id.
import { z } from 'zod';
import { canonicalJson, sha256Hex } from './canonical.ts';

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
] as const;
export type ResourceKind = (typeof resourceKinds)[number];

/**
 * Kinds added after the first release. Each is present only when it holds something, so that a snapshot without
 * them looks exactly as before (older data planes accept it, and snapshots they persisted still load).
 */
export const optionalKinds: readonly ResourceKind[] = ['modules', 'orgModules'];

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

/** The content hash of a snapshot: SHA-256 hex of its canonical JSON. */
export function snapshotHash(snapshot: Snapshot): string {
  return sha256Hex(canonicalJson(snapshot));
}

/**
 * Consistency checks beyond shape, run by the control plane before publishing and by the
 * data plane before applying. Returns the list of problems (empty = consistent).
 */
export function snapshotProblems(s: Snapshot): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(s)) {
    for (const [rid, r] of Object.entries(v as Record<string, { id: string }>)) {
      if (r.id !== rid) problems.push(`${k}.${rid}: id field is ${r.id}`);
    }
  }
  for (const t of Object.values(s.teams)) if (!s.orgs[t.orgId]) problems.push(`teams.${t.id}: unknown org ${t.orgId}`);
  for (const u of Object.values(s.users)) if (!s.orgs[u.orgId]) problems.push(`users.${u.id}: unknown org ${u.orgId}`);
  problems.push(...keyProblems(s));
  problems.push(...moduleProblems(s));
  const names = new Set<string>();
  for (const m of Object.values(s.models)) {
    if (names.has(m.name)) problems.push(`models.${m.id}: duplicate name ${m.name}`);
    names.add(m.name);
    for (const d of m.deployments) {
      if (!s.credentials[d.credentialId]) problems.push(`models.${m.id}: unknown credential ${d.credentialId}`);
    }
  }
  return problems;
}

/** Keys: their org, owner and module exist and agree; no secret hash (current or previous) names two keys. */
function keyProblems(s: Snapshot): string[] {
  const problems: string[] = [];
  const hashes = new Map<string, string>();
  const claim = (hash: string, keyId: string) => {
    const other = hashes.get(hash);
    if (other !== undefined) problems.push(`keys.${keyId}: secret hash also used by keys.${other}`);
    else hashes.set(hash, keyId);
  };
  for (const key of Object.values(s.keys)) {
    const at = `keys.${key.id}`;
    if (!s.orgs[key.orgId]) problems.push(`${at}: unknown org ${key.orgId}`);
    if (!key.userId && !key.teamId) problems.push(`${at}: no owner (userId or teamId)`);
    const team = key.teamId ? s.teams[key.teamId] : undefined;
    const user = key.userId ? s.users[key.userId] : undefined;
    if (key.teamId && !team) problems.push(`${at}: unknown team ${key.teamId}`);
    if (key.userId && !user) problems.push(`${at}: unknown user ${key.userId}`);
    if (team && team.orgId !== key.orgId) problems.push(`${at}: team ${team.id} is in another org`);
    if (user && user.orgId !== key.orgId) problems.push(`${at}: user ${user.id} is in another org`);
    if (user && key.teamId && !user.teamIds.includes(key.teamId)) {
      problems.push(`${at}: team ${key.teamId} is not a team of user ${user.id}`);
    }
    if (key.moduleId && !s.modules?.[key.moduleId]) problems.push(`${at}: unknown module ${key.moduleId}`);
    claim(key.hash, key.id);
    if (key.previous) claim(key.previous.hash, key.id);
  }
  return problems;
}

/** Modules have unique keys; an org enables a module of the catalogue at most once. */
function moduleProblems(s: Snapshot): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const m of Object.values(s.modules ?? {})) {
    if (keys.has(m.key)) problems.push(`modules.${m.id}: duplicate key ${m.key}`);
    keys.add(m.key);
  }
  const pairs = new Set<string>();
  for (const om of Object.values(s.orgModules ?? {})) {
    if (!s.orgs[om.orgId]) problems.push(`orgModules.${om.id}: unknown org ${om.orgId}`);
    if (!s.modules?.[om.moduleId]) problems.push(`orgModules.${om.id}: unknown module ${om.moduleId}`);
    const pair = `${om.orgId} ${om.moduleId}`;
    if (pairs.has(pair)) problems.push(`orgModules.${om.id}: module ${om.moduleId} enabled twice for ${om.orgId}`);
    pairs.add(pair);
  }
  return problems;
}
