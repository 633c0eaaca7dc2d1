// Budget alerts end to end, every part a process: real traffic through a data plane counts against a team budget,
// the threshold alert is raised once, pushed to a subscriber on the other control-plane replica, and posted to the
// org's webhook, which refuses the first attempt and accepts the retry, signed as docs/webhooks.md says.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../harness/control-plane.ts';
import { type DataPlane, startDataPlane } from '../harness/data-plane.ts';
import { startFixtureProcess } from '../harness/fixture-process.ts';
import { type Gql, gqlClient } from '../harness/gql.ts';
import { connectGqlSocket, type GqlSocket } from '../harness/gql-ws.ts';
import { startPostgres } from '../harness/postgres.ts';
import { type Seeded, seed } from '../harness/seed.ts';
import { Teardown } from '../harness/teardown.ts';
import { waitFor } from '../harness/wait.ts';
import { fixtureApiKey } from './stack.ts';

const webhookEnv = { WEBHOOK_ALLOW_INTERNAL_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '200' };

const td = new Teardown();
let cpA: ControlPlane;
let cpB: ControlPlane;
let adminA: Gql;
let adminB: Gql;
let seeded: Seeded;
let dp: DataPlane;
let receiver: Server;
const received: { headers: IncomingHttpHeaders; body: string; status: number }[] = [];

beforeAll(async () => {
  try {
    const db = td.add(await startPostgres(), (d) => d.stop(), 'postgres');
    const fixture = td.add(
      await startFixtureProcess({ apiKey: fixtureApiKey, name: 'budget-alerts-fixture' }),
      (f) => f.dispose(),
      'fixture',
    );
    cpA = td.add(
      await startControlPlane({ databaseUrl: db.url, name: 'budget-alerts-cp-a', env: webhookEnv }),
      (c) => c.dispose(),
      'control plane A',
    );
    cpB = td.add(
      await startControlPlane({
        databaseUrl: db.url,
        name: 'budget-alerts-cp-b',
        env: webhookEnv,
        secrets: { adminToken: cpA.adminToken, dataPlaneToken: cpA.dataPlaneToken, masterKey: cpA.masterKey },
      }),
      (c) => c.dispose(),
      'control plane B',
    );
    adminA = gqlClient(cpA.graphqlUrl, cpA.adminToken);
    adminB = gqlClient(cpB.graphqlUrl, cpB.adminToken);
    seeded = await seed(adminA, { fixtureUrl: fixture.url, fixtureApiKey });
    dp = td.add(
      await startDataPlane({
        controlPlaneUrl: cpA.url,
        dataPlaneToken: cpA.dataPlaneToken,
        nodeId: 'budget-alerts-dp',
      }),
      (d) => d.dispose(),
      'data plane',
    );
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        // The first attempt fails; the control plane must retry.
        const status = received.length === 0 ? 500 : 204;
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    td.add(receiver, (s) => new Promise<void>((resolve) => s.close(() => resolve())), 'webhook receiver');
  } catch (e) {
    await td.run().catch((t: Error) => console.error(t.message));
    throw e;
  }
});
afterAll(() => td.run());

/** The receiver's check from docs/webhooks.md. */
function verified(secret: string, r: { headers: IncomingHttpHeaders; body: string }): boolean {
  const timestamp = String(r.headers['x-gateway-webhook-timestamp']);
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`);
  const given = Buffer.from(String(r.headers['x-gateway-webhook-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('budget alerts across the stack', () => {
  let socket: GqlSocket;

  it('raises a threshold alert from real traffic once, live on the other replica and through a retried webhook', async () => {
    const { createWebhookEndpoint } = await adminB<{ createWebhookEndpoint: { secret: string } }>(
      'mutation ($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }',
      { i: { orgId: seeded.org.id, url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts` } },
    );
    await adminA(
      `mutation ($o: ID!, $s: ID!) { setLimits(orgId: $o, scope: TEAM, scopeId: $s,
         input: { budgets: { daily: "0.001" }, alertThresholds: [50] }) { id } }`,
      { o: seeded.org.id, s: seeded.team.id },
    );
    socket = await connectGqlSocket(cpB.graphqlUrl, `Bearer ${cpB.adminToken}`);
    const pushed = socket.subscribe(
      'alerts',
      'subscription ($o: ID) { budgetAlertRaised(orgId: $o) { id kind scope scopeName threshold limitUsd message } }',
      { o: seeded.org.id },
    );

    // Traffic through the data plane until its usage, shipped to replica A, has crossed half of the budget.
    const openai = new OpenAI({ apiKey: seeded.key.secret, baseURL: dp.baseURL, maxRetries: 0, timeout: 5_000 });
    const alerts = () =>
      adminA<{ budgetAlerts: { nodes: { id: string; threshold: number }[] } }>(
        'query ($o: ID) { budgetAlerts(orgId: $o) { nodes { id threshold } } }',
        { o: seeded.org.id },
      );
    await waitFor(
      'the threshold alert',
      async () => {
        await openai.chat.completions
          .create({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'ping '.repeat(20) }], max_tokens: 30 })
          .catch(() => undefined);
        return (await alerts()).budgetAlerts.nodes.length ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    const message = (await pushed) as {
      type: string;
      payload: { data: { budgetAlertRaised: Record<string, unknown> } };
    };
    expect(message.type).toBe('next');
    expect(message.payload.data.budgetAlertRaised).toMatchObject({
      kind: 'THRESHOLD',
      scope: 'TEAM',
      scopeName: 'Core',
      threshold: 50,
      limitUsd: '0.001',
    });

    await waitFor('the retried delivery', () => (received.length >= 2 ? true : undefined), { timeoutMs: 30_000 });
    expect(received.map((r) => r.status)).toEqual([500, 204]);
    expect(received[0].headers['x-gateway-webhook-id']).toBe(received[1].headers['x-gateway-webhook-id']);
    for (const r of received) expect(verified(createWebhookEndpoint.secret, r)).toBe(true);
    expect(JSON.parse(received[1].body).alert).toMatchObject({ kind: 'threshold', scope: 'team', threshold: 50 });

    // More traffic in the same day raises nothing more (alerts are checked as each batch is ingested).
    const requests = async () =>
      (
        await adminA<{ usageByOrg: { nodes: { orgId: string; totals: { requests: number } }[] } }>(
          '{ usageByOrg { nodes { orgId totals { requests } } } }',
        )
      ).usageByOrg.nodes.find((n) => n.orgId === seeded.org.id)?.totals.requests ?? 0;
    const before = await requests();
    for (let i = 0; i < 3; i++) {
      await openai.chat.completions.create({
        model: 'gpt-fixture',
        messages: [{ role: 'user', content: 'ping' }],
        max_tokens: 30,
      });
    }
    await waitFor('the extra usage to be ingested', async () => ((await requests()) >= before + 3 ? true : undefined));
    expect((await alerts()).budgetAlerts.nodes).toHaveLength(1);
    expect(received).toHaveLength(2);
    await socket.close();
  });
});
