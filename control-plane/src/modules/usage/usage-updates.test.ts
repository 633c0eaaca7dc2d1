// usageUpdates: an ingested batch reaches the subscribers of its org (and the platform-wide ones) on every replica,
// never another org's, coalesced to about one message per org per second; the NOTIFY payloads stay under 8 KB.
import { randomUUID } from 'node:crypto';
import { maxUsageCostUsd, maxUsageTokens, type UsageRecord } from '@gw/schema';
import type { Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useApiSuite } from '../../test-support/suite.ts';
import { buildWorld, type World } from '../../test-support/tenant-world.ts';
import { startTestApp, type TestApp, testConfig, waitFor } from '../../test-support/test-app.ts';
import { usageRecord } from './test-records.ts';
import { type UsageDelta, usageChannel } from './usage-notify.ts';

const t = useApiSuite();
let w: World;
let replica: TestApp;

beforeAll(async () => {
  w = await buildWorld(t.app);
  // A second control plane on the same database: what one replica ingests, the other's subscribers must hear.
  replica = await startTestApp(testConfig(t.db.url, { masterKey: t.app.deps.config.masterKey }));
}, 60_000);

const followers: Follower[] = [];

// Every test starts with no subscriber left on either replica (follow() counts on it).
afterEach(async () => {
  for (const f of followers.splice(0)) f.stop();
  await waitFor(() =>
    t.app.deps.usageFeed.subscriberCount + replica.deps.usageFeed.subscriberCount === 0 ? true : undefined,
  );
});

afterAll(async () => {
  const errors = replica?.errorLogs() ?? [];
  await replica?.close();
  expect(errors).toEqual([]);
});

const ingestMutation = 'mutation($b: JSON!) { ingestUsage(batch: $b) { accepted } }';
const updates = `subscription($o: ID) { usageUpdates(orgId: $o) {
  orgId requests errors inputTokens outputTokens cachedInputTokens costUsd earliestAt latestAt sentAt } }`;

/** A usageUpdates message: a UsageDelta with its times as ISO strings, and when it was sent. */
type Update = Omit<UsageDelta, 'earliestAt' | 'latestAt'> & { earliestAt: string; latestAt: string; sentAt: string };

/** A record of `orgId` as this file's tests count it (10 cached input tokens each). */
function record(orgId: string, patch: Partial<UsageRecord> = {}): UsageRecord {
  return usageRecord(orgId, { nodeId: 'dp-live', cachedInputTokens: 10, latencyMs: 12, overheadMs: 1, ...patch });
}

async function ingest(app: TestApp, records: UsageRecord[]): Promise<void> {
  const r = await app.gql<{ ingestUsage: { accepted: number } }>(
    ingestMutation,
    { b: { records } },
    w.tokens.dataPlane,
  );
  expect(r.errors).toBeUndefined();
  expect(r.data?.ingestUsage.accepted).toBe(records.length);
}

interface Follower {
  messages: Update[];
  errors: unknown[];
  stop(): void;
}

/** Subscribes and waits until the replica holds the subscription, so nothing ingested afterwards can be missed. */
async function follow(app: TestApp, client: Client, orgId: string | null): Promise<Follower> {
  const before = app.deps.usageFeed.subscriberCount;
  const f: Follower = { messages: [], errors: [], stop: () => {} };
  f.stop = client.subscribe<{ usageUpdates: Update }>(
    { query: updates, variables: { o: orgId } },
    {
      next: (r) => (r.data ? f.messages.push(r.data.usageUpdates) : f.errors.push(r.errors)),
      error: (e) => f.errors.push(e),
      complete: () => {},
    },
  );
  followers.push(f);
  await waitFor(() => (app.deps.usageFeed.subscriberCount > before || f.errors.length ? true : undefined));
  return f;
}

/** The first result of a subscription: its data, or the codes of the errors that refused it. */
async function firstResult(app: TestApp, token: string, orgId: string | null): Promise<string> {
  const client = app.wsClient(token);
  try {
    return await new Promise<string>((resolve) => {
      client.subscribe(
        { query: updates, variables: { o: orgId } },
        {
          next: (r) => resolve(r.errors ? r.errors.map((e) => String(e.extensions?.code)).join(',') : 'data'),
          error: () => resolve('socket error'),
          complete: () => resolve('complete'),
        },
      );
      // An accepted subscription stays silent until usage arrives.
      setTimeout(() => resolve('accepted'), 500);
    });
  } finally {
    await client.dispose();
  }
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('usageUpdates', () => {
  it('tells the subscribers of the ingested org, and platform-wide ones, on every replica; not other orgs', async () => {
    const ofA = await follow(t.app, t.app.wsClient(w.tokens.orgViewer), w.A.id);
    const ofB = await follow(t.app, t.app.wsClient(w.tokens.platform), w.B.id);
    const everyOrg = await follow(replica, replica.wsClient(w.tokens.platform), null);
    const ofAElsewhere = await follow(replica, replica.wsClient(w.tokens.orgAdminToken), w.A.id);

    await ingest(t.app, [
      record(w.A.id, { ts: '2030-01-01T10:00:00.000Z' }),
      record(w.A.id, { ts: '2030-01-01T12:30:00.000Z', status: 502, costUsd: 0, outputTokens: 0 }),
    ]);
    const expected = {
      orgId: w.A.id,
      requests: 2,
      errors: 1,
      inputTokens: 200,
      outputTokens: 20,
      cachedInputTokens: 20,
      costUsd: 0.000027,
      earliestAt: '2030-01-01T10:00:00.000Z',
      latestAt: '2030-01-01T12:30:00.000Z',
    };
    for (const f of [ofA, everyOrg, ofAElsewhere]) {
      const [m] = await waitFor(() => (f.messages.length ? f.messages : undefined));
      expect(m).toMatchObject(expected);
      expect(Math.abs(Date.parse(m.sentAt) - Date.now())).toBeLessThan(5_000);
    }
    await settle(200);
    expect(ofB.messages).toEqual([]);
    expect([ofA, ofB, everyOrg, ofAElsewhere].flatMap((f) => f.errors)).toEqual([]);
  });

  it('sends nothing for duplicates, and one message per org for a batch spanning orgs', async () => {
    const every = await follow(t.app, t.app.wsClient(w.tokens.platform), null);
    const rec = record(w.B.id);
    await ingest(t.app, [rec, record(w.A.id), record(w.A.id)]);
    const got = await waitFor(() => (every.messages.length >= 2 ? every.messages : undefined));
    expect(got.map((m) => [m.orgId, m.requests]).sort()).toEqual(
      [
        [w.A.id, 2],
        [w.B.id, 1],
      ].sort(),
    );
    // Past the coalescing interval, a resent record (a duplicate) must not produce a message.
    await settle(1_200);
    const dup = await t.app.gql<{ ingestUsage: { accepted: number } }>(
      ingestMutation,
      { b: { records: [rec] } },
      w.tokens.dataPlane,
    );
    expect(dup.data?.ingestUsage.accepted).toBe(0);
    await settle(300);
    expect(every.messages).toHaveLength(2);
  });

  it('coalesces a burst into at most one message per org per second, losing nothing', async () => {
    const f = await follow(replica, replica.wsClient(w.tokens.orgAdmin), w.A.id);
    await ingest(t.app, [record(w.A.id, { inputTokens: 1 })]);
    await waitFor(() => (f.messages.length === 1 ? true : undefined));
    // Within the second after that message: five batches, from both replicas.
    for (let i = 0; i < 5; i++) {
      await ingest(i % 2 ? replica : t.app, [
        record(w.A.id, { inputTokens: 10, ts: `2030-01-0${i + 2}T00:00:00.000Z` }),
      ]);
    }
    const [first, second] = await waitFor(() => (f.messages.length >= 2 ? f.messages : undefined), 3_000);
    expect(second).toMatchObject({
      requests: 5,
      inputTokens: 50,
      earliestAt: '2030-01-02T00:00:00.000Z',
      latestAt: '2030-01-06T00:00:00.000Z',
    });
    expect(first.inputTokens).toBe(1);
    expect(Date.parse(second.sentAt) - Date.parse(first.sentAt)).toBeGreaterThanOrEqual(900);
    await settle(1_300);
    expect(f.messages).toHaveLength(2);
  });

  it('is refused outside the caller’s scope: a foreign org, every org for org roles, the data plane', async () => {
    expect(await firstResult(t.app, w.tokens.orgAdmin, w.B.id)).toBe('FORBIDDEN');
    expect(await firstResult(t.app, w.tokens.orgViewer, null)).toBe('FORBIDDEN');
    expect(await firstResult(t.app, w.tokens.orgAdminToken, null)).toBe('FORBIDDEN');
    expect(await firstResult(t.app, w.tokens.dataPlane, w.A.id)).toBe('FORBIDDEN');
    expect(await firstResult(t.app, w.tokens.platform, randomUUID())).toBe('NOT_FOUND');
    expect(await firstResult(t.app, w.tokens.orgViewer, w.A.id)).toBe('accepted');
    expect(await firstResult(t.app, w.tokens.platform, null)).toBe('accepted');
  });

  it('splits a batch of many orgs into NOTIFY payloads under 8000 bytes', async () => {
    const listener = new pg.Client({ connectionString: t.db.url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (n) => {
      if (n.channel === usageChannel) payloads.push(n.payload ?? '');
    });
    await listener.query(`listen ${usageChannel}`);
    try {
      // 60 orgs with the longest notified ids and the largest amounts a record may carry.
      const records = Array.from({ length: 60 }, (_, i) =>
        record(`${String(i).padStart(2, '0')}${'o'.repeat(62)}`, {
          inputTokens: maxUsageTokens,
          outputTokens: maxUsageTokens,
          cachedInputTokens: maxUsageTokens,
          costUsd: maxUsageCostUsd - 0.000_001,
        }),
      );
      await ingest(t.app, records);
      await waitFor(() => (payloads.length >= 3 ? true : undefined));
      await settle(100);
      expect(payloads).toHaveLength(3);
      for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
      const orgs = payloads.flatMap((p) => (JSON.parse(p) as unknown[][]).map((e) => e[0]));
      expect(new Set(orgs).size).toBe(60);
    } finally {
      await listener.end();
    }
  });
});
