// The configuration snapshot a data plane enforces: every resource keyed by id.
import { z } from 'zod';
import { canonicalJson, sha256Hex } from './canonical.ts';

const id = z.string().min(1);
const isoTime = z.string().datetime({ offset: true });
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

/** A virtual key as the data plane sees it: only the SHA-256 hex of the secret, never the secret. */
export const snapshotKey = z
  .object({
    id,
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    prefix: z.string(),
    orgId: id,
    teamId: id.nullable(),
    userId: id.nullable(),
    /** null = every model the org may use. */
    allowedModels: z.array(z.string()).nullable(),
    expiresAt: isoTime.nullable(),
  })
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

export const resourceKinds = ['orgs', 'teams', 'users', 'keys', 'credentials', 'models'] as const;
export type ResourceKind = (typeof resourceKinds)[number];

export const snapshotSchema = z
  .object({
    orgs: z.record(z.string(), snapshotOrg),
    teams: z.record(z.string(), snapshotTeam),
    users: z.record(z.string(), snapshotUser),
    keys: z.record(z.string(), snapshotKey),
    credentials: z.record(z.string(), snapshotCredential),
    models: z.record(z.string(), snapshotModel),
  })
  .strict();

export type SnapshotOrg = z.infer<typeof snapshotOrg>;
export type SnapshotTeam = z.infer<typeof snapshotTeam>;
export type SnapshotUser = z.infer<typeof snapshotUser>;
export type SnapshotKey = z.infer<typeof snapshotKey>;
export type SnapshotCredential = z.infer<typeof snapshotCredential>;
export type SnapshotModel = z.infer<typeof snapshotModel>;
export type SnapshotDeployment = z.infer<typeof snapshotDeployment>;
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
  for (const key of Object.values(s.keys)) {
    if (!s.orgs[key.orgId]) problems.push(`keys.${key.id}: unknown org ${key.orgId}`);
    if (key.teamId && !s.teams[key.teamId]) problems.push(`keys.${key.id}: unknown team ${key.teamId}`);
    if (key.userId && !s.users[key.userId]) problems.push(`keys.${key.id}: unknown user ${key.userId}`);
  }
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
