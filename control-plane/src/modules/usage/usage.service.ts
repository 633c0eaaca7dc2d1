// Usage: idempotent bulk ingestion of data-plane records, and the aggregates (totals, series, top-N) read from the
// rollups that the database keeps in step with every insert.
import { checkUsageRecords, type UsageRecord, usageBatchEnvelope } from '@gw/schema';
import { CompiledQuery } from 'kysely';
import type { Em } from '../../db/orm.ts';
import { inTransaction } from '../../db/transaction.ts';
import { badInput } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { emptyPage, pageOfArray } from '../../graphql/page-window.ts';
import { listPage } from '../../graphql/sql-list.ts';
import type { Logger } from '../../logger.ts';
import { addToLedger, batchBudgets, ledgerIncrements } from '../limits/ledger-ingest.ts';
import {
  type IngestUsagePayload,
  OrgUsage,
  type OrgUsageFilter,
  UsageAmounts,
  UsagePoint,
  UsageTopEntry,
  UsageTotals,
} from './usage.type.ts';
import { notifyUsageSql } from './usage-notify.ts';
import {
  type Bucket,
  type Dimension,
  dimensionColumn,
  type MeasureRow,
  type Metric,
  type SeriesRow,
  seriesSource,
  UsageQueries,
  type UsageScope,
} from './usage-query.ts';

const num = (v: string | number | null | undefined): number => Number(v ?? 0);

function amounts<T extends UsageAmounts | UsageTotals>(target: T, row: MeasureRow): T {
  return Object.assign(target, {
    requests: num(row.requests),
    errors: num(row.errors),
    inputTokens: num(row.input_tokens),
    outputTokens: num(row.output_tokens),
    cachedInputTokens: num(row.cached_input_tokens),
    costUsd: num(row.cost_usd),
  });
}

const pointFields: [keyof UsagePoint, Dimension][] = [
  ['orgId', 'org'],
  ['teamId', 'team'],
  ['userId', 'user'],
  ['keyId', 'key'],
  ['moduleId', 'module'],
  ['model', 'model'],
  ['provider', 'provider'],
];

function toPoint(row: SeriesRow): UsagePoint {
  const point = amounts(new UsagePoint(), row);
  point.bucketStart = new Date(row.bucket_start);
  for (const [field, dim] of pointFields) {
    const v = row[dimensionColumn[dim]];
    Object.assign(point, { [field]: v === undefined || v === null ? null : String(v) });
  }
  return point;
}

/** Database column, contract field and SQL type of every stored usage field. */
/** Columns filled from record fields; a field a record may leave out takes the default given. */
const fields: [column: string, field: keyof UsageRecord, type: string, absent?: string][] = [
  ['request_id', 'requestId', 'text'],
  ['ts', 'ts', 'timestamptz'],
  ['node_id', 'nodeId', 'text'],
  ['org_id', 'orgId', 'text'],
  ['team_id', 'teamId', 'text'],
  ['user_id', 'userId', 'text'],
  ['key_id', 'keyId', 'text'],
  ['module_id', 'moduleId', 'text'],
  ['model', 'model', 'text'],
  ['provider', 'provider', 'text'],
  ['upstream_model', 'upstreamModel', 'text'],
  ['input_tokens', 'inputTokens', 'bigint'],
  ['output_tokens', 'outputTokens', 'bigint'],
  ['cached_input_tokens', 'cachedInputTokens', 'bigint'],
  ['cost_usd', 'costUsd', 'numeric'],
  ['latency_ms', 'latencyMs', 'double precision'],
  ['overhead_ms', 'overheadMs', 'double precision'],
  ['status', 'status', 'smallint'],
  ['error_code', 'errorCode', 'text'],
  ['stream', 'stream', 'boolean'],
  ['incomplete', 'incomplete', 'boolean', 'false'],
  ['budget_unchecked', 'budgetUnchecked', 'boolean', 'false'],
];

/**
 * One statement: claim the batch's requestIds in usage_request_ids (the batch travels as one jsonb parameter, since
 * 5000 records x 19 columns would exceed PostgreSQL's 65535 bind parameters), insert into usage_records only the
 * records whose requestId was new there, and move each key's last_used_at forward to the newest inserted ts (never
 * backward: a late batch must not make a key look less recently used). usage_records is partitioned by month and so
 * cannot hold request_id unique itself (see Migration20261215000000_usage_partitions). Records older than the
 * retention horizon are not claimed but returned in `too_old`: their requestIds may have been forgotten, so whether
 * they were stored before cannot be known (docs/operations.md, "Data lifecycle").
 * Key ids that are not UUIDs cannot name a virtual key, so they are skipped instead of failing the cast.
 * The rollups (usage_hourly, usage_daily_org) follow in this same statement: statement-level triggers on
 * usage_records add exactly the rows inserted (see Migration20261201000200_usage_rollups). So do the gw_usage
 * notifications of the inserted rows' sums per org (usage-notify.ts), delivered on commit to every replica.
 */
interface IngestRow {
  accepted: string;
  too_old: string[];
  horizon: Date | null;
  /** With `tracked`: the batch's requestIds that were not stored (duplicates, too old). */
  skipped?: string[];
}

const ingestSql = (tracked: boolean) => `with batch as materialized (
    select ${fields.map(([c, f, , absent]) => `${absent ? `coalesce(r."${f}", ${absent})` : `r."${f}"`} as ${c}`).join(', ')}
      from jsonb_to_recordset($1::jsonb) as r(${fields.map(([, f, t]) => `"${f}" ${t}`).join(', ')})
  ), horizon as (
    select records_horizon as h from usage_lifecycle
  ), claimed as (
    insert into usage_request_ids (request_id, ts)
    select b.request_id, b.ts from batch b left join horizon on true where horizon.h is null or b.ts >= horizon.h
    on conflict (request_id) do nothing
    returning request_id
  ), inserted as (
    insert into usage_records (${fields.map(([c]) => c).join(', ')})
    select ${fields.map(([c]) => `b.${c}`).join(', ')} from batch b where b.request_id in (select request_id from claimed)
    returning org_id, key_id, ts, status, input_tokens, output_tokens, cached_input_tokens, cost_usd
  ), latest as (
    select case when key_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then key_id::uuid end as id,
           max(ts) as ts
      from inserted group by key_id
  ), touched as (
    update virtual_keys k set last_used_at = greatest(k.last_used_at, l.ts)
      from latest l where k.id = l.id
    returning k.id
  ), ${notifyUsageSql}
  select (select count(*) from inserted) as accepted, (select count(*) from notified) as notifications,
         (select coalesce(jsonb_agg(b.request_id), '[]') from batch b, horizon where b.ts < horizon.h) as too_old,
         (select h from horizon) as horizon${
           tracked
             ? `, (select coalesce(jsonb_agg(b.request_id), '[]') from batch b
                    where not exists (select 1 from claimed c where c.request_id = b.request_id)) as skipped`
             : ''
         }`;
const plainIngestSql = ingestSql(false);
const trackedIngestSql = ingestSql(true);

/** Rejections listed in one warn line (the count is always complete). */
const logRejectedMax = 50;

export class UsageService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** Totals of one org in [from, to); open ends when null. Any instant is accepted (partial hours read raw records). */
  async orgTotals(orgId: string, from?: Date | null, to?: Date | null): Promise<UsageTotals> {
    const row = await new UsageQueries(this.#em).totals({
      orgId,
      from: from ?? null,
      to: to ?? null,
      filter: {},
      raw: true,
    });
    return amounts(new UsageTotals(), row);
  }

  /** Totals for every live org (orgs without usage included, with zeros), ordered by name; `orgId` limits to one. */
  /**
   * Per-org totals, ordered by org name then id, as a connection. Every org's totals come from one rollup query
   * (a few hundred rows at most, one per live org); the page is cut from them.
   */
  async byOrg(
    from: Date | null | undefined,
    to: Date | null | undefined,
    orgId: string | null,
    filter: OrgUsageFilter | null,
    args: PageArgs,
  ): Promise<ConnectionShape<OrgUsage>> {
    const rows = await new UsageQueries(this.#em).byOrg({
      orgId,
      from: from ?? null,
      to: to ?? null,
      filter: {},
      raw: true,
    });
    const search = filter?.search?.trim().toLowerCase();
    const matching = rows.filter((r) => !search || r.org_name.toLowerCase().includes(search));
    const byName = (a: readonly unknown[], b: readonly unknown[]) =>
      String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]));
    return pageOfArray(
      matching,
      args,
      { keys: ['text', 'text'], keyOf: (r) => [r.org_name, r.org_id], compare: byName },
      (r) =>
        Object.assign(new OrgUsage(), { orgId: r.org_id, orgName: r.org_name, totals: amounts(new UsageTotals(), r) }),
    );
  }

  async totals(scope: UsageScope): Promise<UsageAmounts> {
    return amounts(new UsageAmounts(), await new UsageQueries(this.#em).totals(scope));
  }

  async top(scope: UsageScope, by: Dimension, metric: Metric, limit: number): Promise<UsageTopEntry[]> {
    const rows = await new UsageQueries(this.#em).top(scope, by, metric, limit);
    return rows.map((r) => Object.assign(amounts(new UsageTopEntry(), r), { value: r.value }));
  }

  async series(
    scope: UsageScope,
    bucket: Bucket,
    dims: Dimension[],
    args: PageArgs,
  ): Promise<ConnectionShape<UsagePoint>> {
    const src = seriesSource(scope, dims, bucket);
    if (!src) return emptyPage(args, ['timestamptz', ...dims.map(() => 'text' as const)]);
    return listPage(this.#em, src, args, toPoint);
  }

  /**
   * Refuses the batch as a whole only when its envelope is malformed. Records are then checked one by one:
   * the valid ones are stored with one statement (atomic on its own), each invalid one is answered in
   * `rejected` with a field-level reason, so one bad record (e.g. version skew) never costs the good ones.
   */
  async ingest(batch: unknown, logger?: Logger): Promise<IngestUsagePayload> {
    const envelope = usageBatchEnvelope.safeParse(batch);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      const path = ['batch', ...issue.path.map(String)].join('.');
      throw badInput(path, `Invalid usage batch at ${path}: ${issue.message}`);
    }
    const { valid, rejected } = checkUsageRecords(envelope.data.records);
    if (rejected.length) {
      // Reasons name fields, never values; requestIds are not secrets.
      logger?.warn(
        { rejected: rejected.slice(0, logRejectedMax), count: rejected.length, records: envelope.data.records.length },
        'usage records rejected',
      );
    }
    const stored = valid.length ? await this.#storeCounted(dedupe(valid)) : { accepted: 0, refused: new Map() };
    let refusedCount = 0;
    if (stored.refused.size) {
      // Records the database itself refused, or refused as older than the retention horizon, are answered one by
      // one (repeats of their requestId with them), so the data plane can set them aside; the rest is stored.
      const rejectedAt = new Set(rejected.map((r) => r.index));
      let v = 0;
      envelope.data.records.forEach((_, index) => {
        if (rejectedAt.has(index)) return;
        const { requestId } = valid[v++];
        const refusal = stored.refused.get(requestId);
        if (refusal === undefined) return;
        rejected.push({ index, requestId, field: refusal.field, reason: refusal.reason });
        refusedCount++;
      });
      rejected.sort((a, b) => a.index - b.index);
      const [tooOld, byDatabase] = partition([...stored.refused], ([, r]) => r.field === 'ts');
      if (byDatabase.length) {
        logger?.warn(
          { refused: byDatabase.slice(0, logRejectedMax).map(([id]) => id), count: byDatabase.length },
          'usage records refused by the database',
        );
      }
      if (tooOld.length) {
        logger?.warn(
          { refused: tooOld.slice(0, logRejectedMax).map(([id]) => id), count: tooOld.length },
          'usage records older than the retention horizon refused',
        );
      }
    }
    return { accepted: stored.accepted, duplicates: valid.length - stored.accepted - refusedCount, rejected };
  }

  /**
   * Stores the records and, when some of them fall under budgets, adds the cost of those actually stored (not the
   * duplicates) to the budget ledger in the same transaction: exactly once, whatever the data plane retries.
   */
  async #storeCounted(records: UsageRecord[]): Promise<{ accepted: number; refused: Map<string, Refusal> }> {
    const budgets = await batchBudgets(this.#em, records);
    if (!budgets) return this.#store(this.#em, records, false);
    return inTransaction(this.#em, async (tx) => {
      const stored = await this.#store(tx, records, true);
      const skipped = new Set(stored.skipped);
      const inserted = records.filter((r) => !skipped.has(r.requestId) && !stored.refused.has(r.requestId));
      await addToLedger(tx, ledgerIncrements(budgets, inserted));
      return stored;
    });
  }

  /**
   * Stores the records with one statement. Should the database refuse the data of some record (a value the
   * contract let through but a column, a trigger or an index cannot take), the statement is retried on halves
   * until each refused record stands alone: those are answered as refused, every other record is stored. Errors
   * that are not about the data (connection lost, database down) propagate, so the data plane keeps the batch.
   */
  async #store(
    em: Em,
    records: UsageRecord[],
    tracked: boolean,
  ): Promise<{ accepted: number; refused: Map<string, Refusal>; skipped: string[] }> {
    // Inside a transaction (tracked), a refused statement must not abort it: each attempt is a savepoint.
    const raw = (sql: string, params: unknown[] = []) =>
      em.getKysely().executeQuery<IngestRow>(CompiledQuery.raw(sql, params));
    try {
      if (tracked) await raw('savepoint usage_store');
      // The batch goes as a bound parameter ($1): em.execute would inline it into the SQL text, escaping a few
      // hundred KB character by character (a third of the control plane's CPU per record, measured by bench:ingest).
      const { rows } = await raw(tracked ? trackedIngestSql : plainIngestSql, [JSON.stringify(records)]);
      if (tracked) await raw('release savepoint usage_store');
      const [row] = rows;
      const refused = new Map<string, Refusal>();
      if (row.too_old.length) {
        const reason = tooOldReason(new Date(row.horizon ?? 0));
        for (const id of row.too_old) refused.set(id, { field: 'ts', reason });
      }
      return { accepted: Number(row.accepted), refused, skipped: row.skipped ?? [] };
    } catch (err) {
      const sqlState = refusedDataState(err);
      if (sqlState === null) throw err;
      if (tracked) await raw('rollback to savepoint usage_store');
      if (records.length === 1) {
        return {
          accepted: 0,
          refused: new Map([[records[0].requestId, { field: null, reason: refusedReason(sqlState) }]]),
          skipped: [],
        };
      }
      const half = Math.ceil(records.length / 2);
      const first = await this.#store(em, records.slice(0, half), tracked);
      const second = await this.#store(em, records.slice(half), tracked);
      return {
        accepted: first.accepted + second.accepted,
        refused: new Map([...first.refused, ...second.refused]),
        skipped: [...first.skipped, ...second.skipped],
      };
    }
  }
}

/** Why one record was not stored although the contract let it through. */
interface Refusal {
  field: string | null;
  reason: string;
}

/** A record older than the horizon may have been stored before its requestId was forgotten: never store it again. */
function tooOldReason(horizon: Date): string {
  return `ts: older than the usage retention horizon (${horizon.toISOString()}); whether it was stored before can no longer be checked`;
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((i) => !test(i))];
}

/**
 * SQLSTATE classes that blame the data of the statement: 22 data exception (bad text, numeric overflow, dates out
 * of range), 23 integrity constraint violation, 54 program limit exceeded (e.g. an index row too large).
 */
const dataErrorClasses = new Set(['22', '23', '54']);

/** The SQLSTATE of a database error caused by the data, or null for any other error. */
export function refusedDataState(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && dataErrorClasses.has(code.slice(0, 2)) ? code : null;
}

/** PostgreSQL's own messages may quote the value (e.g. in a JSON context line): the reason names only the class. */
function refusedReason(sqlState: string): string {
  const kind = sqlState.startsWith('22')
    ? 'a value it cannot store'
    : sqlState.startsWith('23')
      ? 'a constraint'
      : 'a size limit';
  return `record: the database refused it (SQLSTATE ${sqlState}: ${kind})`;
}

/** A batch repeating a requestId counts the repeats as duplicates; ON CONFLICT cannot see rows of its own statement. */
function dedupe(records: UsageRecord[]): UsageRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    if (seen.has(r.requestId)) return false;
    seen.add(r.requestId);
    return true;
  });
}
