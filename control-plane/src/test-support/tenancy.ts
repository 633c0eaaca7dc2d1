// Helpers for the tenancy tests: scoped API tokens, error codes, audit events and SQL query counting.
import { expect } from 'vitest';
import { must } from './fixtures.ts';
import type { Suite } from './suite.ts';

type Errors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };

export const codeOf = (r: Errors) => r.errors?.[0]?.extensions?.code;
export const errorOf = (r: Errors) => ({
  code: r.errors?.[0]?.extensions?.code,
  field: r.errors?.[0]?.extensions?.field,
});

/** An integrator API token with this role: ORG_ADMIN / ORG_VIEWER of `orgId`, or PLATFORM_ADMIN (orgId null). */
export async function tokenFor(t: Suite, role: string, orgId: string | null): Promise<string> {
  const r = await must<{ createApiToken: { token: string } }>(
    t.app.gql('mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }', {
      i: { name: `${role}-${Math.random()}`, role, orgId },
    }),
  );
  return r.createApiToken.token;
}

export interface AuditRow {
  action: string;
  target_type: string;
  target_id: string | null;
  org_id: string | null;
  actor_label: string;
  before: unknown;
  after: unknown;
}

/** Runs `fn` and returns what it answered and the audit events it wrote. */
export async function audited<T>(t: Suite, fn: () => Promise<T>): Promise<{ result: T; events: AuditRow[] }> {
  const [{ max }] = await t.db.query('select coalesce(max(id), 0)::int as max from audit_events');
  const result = await fn();
  const events = await t.db.query<AuditRow & { id: number }>('select * from audit_events where id > $1 order by id', [
    max,
  ]);
  return { result, events };
}

/** A mutation that must succeed and write exactly one audit event with this action. */
export async function expectAudited<T>(
  t: Suite,
  action: string,
  fn: () => Promise<{ data?: T | null; errors?: unknown[] }>,
): Promise<{ data: T; event: AuditRow }> {
  const { result, events } = await audited(t, fn);
  if (result.errors?.length || !result.data) throw new Error(`${action} failed: ${JSON.stringify(result.errors)}`);
  expect(events.map((e) => e.action)).toEqual([action]);
  return { data: result.data, event: events[0] };
}

/** Counts the SQL statements the app sends while `fn` runs (MikroORM's query log, switched on for the call). */
export async function countQueries<T>(t: Suite, fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const config = t.app.deps.orm.config;
  const start = t.app.logs.length;
  // Through the config: it re-applies its own debug setting to the logger now and then.
  config.set('debug', ['query']);
  try {
    const result = await fn();
    // The log sink is a stream: let it take what is still buffered.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const queries = t.app.logs
      .slice(start)
      .filter((l) => l.msg === 'orm' && typeof l.orm === 'string')
      .map((l) => l.orm as string);
    return { result, queries };
  } finally {
    config.set('debug', false);
  }
}
