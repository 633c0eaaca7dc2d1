// Builds the change a set of changed resources makes to a replica's snapshot, loading only what it needs: the
// changed resources, and the resources that hang off one whose presence (or what they read of it) changed. The
// same steps build a whole snapshot from every row (pending = 'all'), so there is one set of rules for both.
import type { AnyResource, ResourceKind, SnapshotOrg } from '@gw/schema';
import {
  credentialOf,
  keyOf,
  limitOf,
  modelOf,
  moduleOf,
  type OpenSecret,
  orgModuleOf,
  orgOf,
  teamOf,
  userOf,
  withAccess,
} from './resource-builders.ts';
import type { DeploymentRow, OrgModelAccessRow, SnapshotRows } from './snapshot-rows.ts';
import type { Change, SnapshotState } from './snapshot-state.ts';

export type Table = Exclude<keyof SnapshotRows, 'version'>;

/** Rows of `table` whose `by` (a name the table's query knows, see snapshot-queries.ts) is one of `ids`. */
export interface Filter {
  by: 'id' | 'org' | 'team' | 'user' | 'module' | 'credential' | 'model';
  ids: string[];
}

export interface Load {
  table: Table;
  /** 'all': every row (a full build). */
  filters: Filter[] | 'all';
}

/** Changed resources by kind, or 'all' for a full build (into an empty state). */
export type Pending = Map<ResourceKind, Set<string>> | 'all';

type Row = { id: string };
type Steps<T> = Generator<Load, T, unknown[]>;

export interface Applied {
  change: Change;
  /** Provisional org values to restore on rollback. */
  provisional: [ResourceKind, string, AnyResource | undefined][];
}

/** On any failure (a load, a secret that does not open) the state is rolled back to where it was. */
export function* applyChanges(state: SnapshotState, pending: Pending, open: OpenSecret): Steps<Applied> {
  const applied: Applied = { change: state.begin(), provisional: [] };
  try {
    yield* steps(state, pending, open, applied);
    return applied;
  } catch (err) {
    state.rollback(applied.change, applied.provisional);
    throw err;
  }
}

function* steps(state: SnapshotState, pending: Pending, open: OpenSecret, applied: Applied): Steps<void> {
  const full = pending === 'all';
  const requested = (kind: ResourceKind) => (full ? [] : [...(pending.get(kind) ?? [])]);
  function* load<R>(table: Table, filters: Filter[]): Steps<R[]> {
    if (full) return (yield { table, filters: 'all' }) as R[];
    const wanted = filters.filter((f) => f.ids.length);
    if (!wanted.length) return [];
    return (yield { table, filters: wanted }) as R[];
  }
  const { change } = applied;
  const j = state.joined;

  /** Sets each requested or loaded resource of `kind`; returns the ids whose dependents must be rebuilt. */
  const settle = <R extends Row>(
    kind: ResourceKind,
    ids: string[],
    rows: R[],
    build: (row: R) => AnyResource | undefined,
    affects: (before: AnyResource | undefined, after: AnyResource | undefined) => boolean = (b, a) => !b !== !a,
  ): string[] => {
    const byId = new Map<string, R | undefined>(ids.map((id) => [id, undefined]));
    for (const r of rows) byId.set(r.id, r);
    const dependents: string[] = [];
    for (const [id, row] of byId) {
      const before = state.records[kind].get(id);
      const after = row ? build(row) : undefined;
      state.set(change, kind, id, after);
      if (affects(before, after)) dependents.push(id);
    }
    return dependents;
  };

  // Orgs first without their allowedModels (which need the models): written provisionally, settled at the end.
  const orgBefore = new Map<string, AnyResource | undefined>();
  const orgIds = requested('orgs');
  const orgRows = yield* load<SnapshotRows['orgs'][number]>('orgs', [{ by: 'id', ids: orgIds }]);
  const orgById = new Map<string, SnapshotRows['orgs'][number] | undefined>(orgIds.map((id) => [id, undefined]));
  for (const r of orgRows) orgById.set(r.id, r);
  const orgsMoved: string[] = [];
  for (const [id, row] of orgById) {
    const before = state.records.orgs.get(id);
    orgBefore.set(id, before);
    applied.provisional.push(['orgs', id, before]);
    const base = row ? orgOf(row) : undefined;
    state.provisional('orgs', id, base);
    if (!before !== !base) orgsMoved.push(id);
  }
  const byOrg: Filter = { by: 'org', ids: orgsMoved };

  const teamsMoved = settle(
    'teams',
    requested('teams'),
    yield* load<SnapshotRows['teams'][number]>('teams', [{ by: 'id', ids: requested('teams') }, byOrg]),
    (r) => teamOf(r, j),
  );
  const byTeam: Filter = { by: 'team', ids: teamsMoved };
  const usersMoved = settle(
    'users',
    requested('users'),
    yield* load<SnapshotRows['users'][number]>('users', [{ by: 'id', ids: requested('users') }, byOrg, byTeam]),
    (r) => userOf(r, j),
    (b, a) =>
      !b !== !a ||
      (!!a &&
        !!b &&
        String((a as never as { teamIds: string[] }).teamIds) !==
          String((b as never as { teamIds: string[] }).teamIds)),
  );
  const modulesMoved = settle(
    'modules',
    requested('modules'),
    yield* load<SnapshotRows['modules'][number]>('modules', [{ by: 'id', ids: requested('modules') }]),
    (r) => moduleOf(r),
  );
  const byModule: Filter = { by: 'module', ids: modulesMoved };
  settle(
    'orgModules',
    requested('orgModules'),
    yield* load<SnapshotRows['orgModules'][number]>('orgModules', [
      { by: 'id', ids: requested('orgModules') },
      byOrg,
      byModule,
    ]),
    (r) => orgModuleOf(r, j),
  );
  settle(
    'keys',
    requested('keys'),
    yield* load<SnapshotRows['keys'][number]>('keys', [
      { by: 'id', ids: requested('keys') },
      byOrg,
      byTeam,
      { by: 'user', ids: usersMoved },
      byModule,
    ]),
    (r) => keyOf(r, j),
  );
  settle(
    'limits',
    requested('limits'),
    yield* load<SnapshotRows['limits'][number]>('limits', [{ by: 'id', ids: requested('limits') }, byOrg]),
    (r) => limitOf(r, j),
  );
  const credentialsMoved = settle(
    'credentials',
    requested('credentials'),
    yield* load<SnapshotRows['credentials'][number]>('credentials', [{ by: 'id', ids: requested('credentials') }]),
    (r) => credentialOf(r, open),
  );
  const modelRows = yield* load<SnapshotRows['models'][number]>('models', [
    { by: 'id', ids: requested('models') },
    { by: 'credential', ids: credentialsMoved },
  ]);
  const modelIds = [...new Set([...requested('models'), ...modelRows.map((m) => m.id)])];
  const deployments = new Map<string, DeploymentRow[]>();
  for (const d of yield* load<DeploymentRow>('deployments', [{ by: 'model', ids: modelIds }])) {
    const list = deployments.get(d.model_id) ?? [];
    list.push(d);
    deployments.set(d.model_id, list);
  }
  const modelsMoved = settle(
    'models',
    requested('models'),
    modelRows,
    (m) => modelOf(m, deployments.get(m.id) ?? [], j),
    (b, a) => !b !== !a || (!!a && !!b && (a as { name: string }).name !== (b as { name: string }).name),
  );

  // Orgs for good: the changed ones and those allowed a model that appeared, went or was renamed.
  const accessRows = yield* load<OrgModelAccessRow>('orgModelAccess', [
    { by: 'org', ids: [...orgBefore.keys()] },
    { by: 'model', ids: modelsMoved },
  ]);
  const access = new Map(accessRows.map((a) => [a.org_id, a]));
  const finalIds = new Set([...orgBefore.keys(), ...access.keys()]);
  for (const id of finalIds) {
    const base = state.records.orgs.get(id) as SnapshotOrg | undefined;
    const after = base ? withAccess(base, access.get(id), j) : undefined;
    const before = orgBefore.has(id) ? orgBefore.get(id) : base;
    state.replace(change, 'orgs', id, before, after);
  }
}

/** Runs the steps against rows in memory (every load answered with all rows of its table: full builds only). */
export function runInMemory<T>(steps: Steps<T>, rows: Omit<SnapshotRows, 'version'>): T {
  let next = steps.next();
  while (!next.done) next = steps.next(rows[next.value.table] as unknown[]);
  return next.value;
}

/** Runs the steps with an asynchronous loader (the database). */
export async function runWith<T>(steps: Steps<T>, loader: (load: Load) => Promise<unknown[]>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let rows: unknown[];
    try {
      rows = await loader(next.value);
    } catch (err) {
      next = steps.throw(err);
      continue;
    }
    next = steps.next(rows);
  }
  return next.value;
}
