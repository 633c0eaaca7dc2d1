// Usage: idempotent bulk ingestion of data-plane records, and aggregation per org over a time window.
import { checkUsageRecords, type UsageRecord, usageBatchEnvelope } from '@gw/schema';
import type { Em } from '../../db/orm.ts';
import { badInput } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { IngestUsagePayload, UsageTotals } from './usage.type.ts';

interface TotalsRow {
  requests: string;
  errors: string;
  input_tokens: string;
  output_tokens: string;
  cost_usd: string;
}

const totalsSelect = `count(*) as requests,
  count(*) filter (where status >= 400) as errors,
  coalesce(sum(input_tokens), 0) as input_tokens,
  coalesce(sum(output_tokens), 0) as output_tokens,
  coalesce(sum(cost_usd), 0) as cost_usd`;

function toTotals(row: TotalsRow | undefined): UsageTotals {
  return {
    requests: Number(row?.requests ?? 0),
    errors: Number(row?.errors ?? 0),
    inputTokens: Number(row?.input_tokens ?? 0),
    outputTokens: Number(row?.output_tokens ?? 0),
    costUsd: Number(row?.cost_usd ?? 0),
  };
}

/** Half-open window [from, to): adjacent windows never count a record twice. */
function window(from: Date | null | undefined, to: Date | null | undefined, params: unknown[]): string {
  let sql = '';
  if (from) {
    sql += ' and ts >= ?';
    params.push(from);
  }
  if (to) {
    sql += ' and ts < ?';
    params.push(to);
  }
  return sql;
}

/** Database column, contract field and SQL type of every stored usage field. */
const fields: [column: string, field: keyof UsageRecord, type: string][] = [
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
];

/**
 * One statement: insert the batch (it travels as one jsonb parameter, since 5000 records x 19 columns would exceed
 * PostgreSQL's 65535 bind parameters), skipping held requestIds, and move each key's last_used_at forward to the
 * newest inserted ts (never backward: a late batch must not make a key look less recently used).
 * Key ids that are not UUIDs cannot name a virtual key, so they are skipped instead of failing the cast.
 */
const ingestSql = `with inserted as (
    insert into usage_records (${fields.map(([c]) => c).join(', ')})
    select ${fields.map(([, f]) => `r."${f}"`).join(', ')}
      from jsonb_to_recordset(?::jsonb) as r(${fields.map(([, f, t]) => `"${f}" ${t}`).join(', ')})
    on conflict (request_id) do nothing
    returning key_id, ts
  ), latest as (
    select case when key_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then key_id::uuid end as id,
           max(ts) as ts
      from inserted group by key_id
  ), touched as (
    update virtual_keys k set last_used_at = greatest(k.last_used_at, l.ts)
      from latest l where k.id = l.id
    returning k.id
  )
  select (select count(*) from inserted) as accepted`;

/** Rejections listed in one warn line (the count is always complete). */
const logRejectedMax = 50;

export class UsageService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  async orgTotals(orgId: string, from?: Date | null, to?: Date | null): Promise<UsageTotals> {
    const params: unknown[] = [orgId];
    const rows = await this.#em.execute<TotalsRow[]>(
      `select ${totalsSelect} from usage_records where org_id = ?${window(from, to, params)}`,
      params,
    );
    return toTotals(rows[0]);
  }

  /** Totals for every live org (orgs without usage included, with zeros), ordered by name. */
  async byOrg(from?: Date | null, to?: Date | null) {
    const params: unknown[] = [];
    const where = window(from, to, params);
    const rows = await this.#em.execute<(TotalsRow & { org_id: string; org_name: string })[]>(
      `select o.id as org_id, o.name as org_name, t.*
         from organizations o
         left join lateral (select ${totalsSelect} from usage_records where org_id = o.id::text${where}) t on true
        where o.deleted_at is null
        order by o.name, o.id`,
      params,
    );
    return rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name, totals: toTotals(r) }));
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
    let accepted = 0;
    if (valid.length) {
      const rows = await this.#em.execute<{ accepted: string }[]>(ingestSql, [JSON.stringify(dedupe(valid))]);
      accepted = Number(rows[0].accepted);
    }
    return { accepted, duplicates: valid.length - accepted, rejected };
  }
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
