// The delivery worker on its own, against a real database and receiver: two workers sharing one outbox deliver each
// row exactly once (FOR UPDATE SKIP LOCKED), and stopping mid-attempt gives the row back without counting it.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.ts';
import { DatabaseStatus } from '../../db/database-status.ts';
import { useOrmDatabase } from '../../test-support/orm-db.ts';
import { waitFor } from '../../test-support/test-app.ts';
import { type Receiver, startReceiver } from './test-receiver.ts';
import { retryDelayMs, WebhookWorker } from './webhook-worker.ts';

const t = useOrmDatabase();
const logger = pino({ level: 'silent' });
const box = new SecretBox(randomBytes(32));
let receiver: Receiver;
let orgId: string;

beforeAll(async () => {
  await t.migrateUp();
  receiver = await startReceiver();
  [{ id: orgId }] = await t.db.query<{ id: string }>(
    "insert into organizations (id, name, slug) values (gen_random_uuid(), 'Worker', 'worker') returning id",
  );
});
afterAll(async () => receiver?.close());

function worker(timeoutMs = 2_000): WebhookWorker {
  const database = new DatabaseStatus({ probe: async () => undefined, logger });
  return new WebhookWorker({
    orm: t.orm,
    secretBox: box,
    logger,
    database,
    timeoutMs,
    retryBaseMs: 20,
    maxAttempts: 3,
    allowInternal: true,
    batchSize: 3,
  });
}

/** An endpoint at `path` and `n` pending deliveries to it, each for an alert of its own (in hours not used before). */
let hours = 0;
async function outbox(path: string, n: number): Promise<string> {
  const sealed = box.seal('whsec_worker-test');
  const [{ id }] = await t.db.query<{ id: string }>(
    `insert into webhook_endpoints (org_id, url, secret_ciphertext, secret_iv, secret_tag, secret_hint)
     values ($1, $2, $3, $4, $5, 'whsec_...test') returning id`,
    [orgId, receiver.url(path), sealed.ciphertext, sealed.iv, sealed.tag],
  );
  await t.db.query(
    `with alerts as (
       insert into budget_alerts (org_id, kind, period_start, unchecked_records)
       select $1, 'fail_open', timestamptz '2033-01-01' + make_interval(hours => $4 + g), 1
         from generate_series(1, $3::int) g
       returning id)
     insert into webhook_deliveries (endpoint_id, alert_id, payload)
     select $2, a.id, jsonb_build_object('alert', a.id) from alerts a`,
    [orgId, id, n, hours],
  );
  hours += n;
  return id;
}

const rowsOf = (endpointId: string) =>
  t.db.query<{ status: string; attempt: number; due: boolean }>(
    'select status, attempt, next_attempt_at <= now() as due from webhook_deliveries where endpoint_id = $1',
    [endpointId],
  );

describe('WebhookWorker', () => {
  it('spaces retries 1, 3, 12, 60 and 360 times the base delay', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(10_000, n))).toEqual([
      10_000, 30_000, 120_000, 600_000, 3_600_000, 3_600_000,
    ]);
  });

  it('delivers every row exactly once when two workers share the outbox', async () => {
    const endpoint = await outbox('/shared', 20);
    const a = worker();
    const b = worker();
    a.start();
    b.start();
    try {
      await waitFor(async () => ((await rowsOf(endpoint)).every((r) => r.status === 'delivered') ? true : undefined));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const bodies = receiver.received('/shared').map((r) => r.body);
    expect(bodies).toHaveLength(20);
    expect(new Set(bodies).size).toBe(20);
    expect((await rowsOf(endpoint)).every((r) => r.attempt === 1)).toBe(true);
  });

  it('gives an attempt in flight back when it stops, without counting it', async () => {
    receiver.script('/stuck', ['hang']);
    const endpoint = await outbox('/stuck', 1);
    const w = worker(60_000);
    w.start();
    await waitFor(() => (receiver.received('/stuck').length ? true : undefined));
    const started = Date.now();
    await w.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await rowsOf(endpoint)).toEqual([{ status: 'pending', attempt: 0, due: true }]);
  });
});
