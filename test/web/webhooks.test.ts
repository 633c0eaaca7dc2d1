// Budget alerts and webhooks in a browser: an org admin creates a webhook endpoint and sees its signing secret once,
// a budget alert then reaches both the endpoint (signed with that secret) and the page's alert list live, and a
// viewer reads the endpoints without a single write control.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, waitFor } from '../harness/index.ts';
import { signIn } from './commands/sign-in.ts';
import { type PageSession, useBrowser } from './fixtures/browser.ts';
import { type Login, startWebStack, type WebStack } from './fixtures/stack.ts';
import { SecretDialog } from './pages/secret-dialog.ts';
import { WebhooksPage } from './pages/webhooks-page.ts';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('org panel: webhooks and budget alerts', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let orgId: string;
  let orgAdmin: Login;
  let viewer: Login;
  let receiver: Server;
  let receiverUrl: string;
  const received: Delivery[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/gateway-alerts`;
    stack = await startWebStack({ name: 'webhooks', controlPlaneEnv: { WEBHOOK_ALLOW_INTERNAL_URLS: 'true' } });
    const { createOrganization } = await stack.api<{ createOrganization: { id: string } }>(
      'mutation { createOrganization(input: { name: "Acme Alerts" }) { id } }',
    );
    orgId = createOrganization.id;
    orgAdmin = await stack.createAdmin('ORG_ADMIN', orgId, 'admin@acme-alerts.test');
    viewer = await stack.createAdmin('ORG_VIEWER', orgId, 'viewer@acme-alerts.test');
  });

  afterAll(async () => {
    await stack?.stop();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  /** Usage served fail-open (no budget check) in a fresh hour: one fail_open alert of the org. */
  async function serveUnchecked(hour: string): Promise<void> {
    await gql(
      stack.cp.graphqlUrl,
      stack.cp.dataPlaneToken,
      'mutation ($b: JSON!) { ingestUsage(batch: $b) { accepted } }',
      {
        b: {
          records: [
            {
              requestId: `req_webhooks_${hour}`,
              ts: `${hour}:10:00.000Z`,
              nodeId: 'webhooks-dp',
              orgId,
              teamId: null,
              userId: null,
              keyId: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924',
              moduleId: null,
              model: 'gpt-fixture',
              provider: 'openai',
              upstreamModel: 'fixture-model',
              inputTokens: 10,
              outputTokens: 5,
              cachedInputTokens: 0,
              costUsd: 0.001,
              latencyMs: 10,
              overheadMs: 1,
              status: 200,
              errorCode: null,
              stream: false,
              budgetUnchecked: true,
            },
          ],
        },
      },
    );
  }

  let secret: string;

  it('lets an org admin create an endpoint and shows its signing secret once', async () => {
    const session: PageSession = await browser.newSession({ label: 'org admin', baseURL: stack.web.url });
    await signIn(session.page, orgAdmin);
    const page = new WebhooksPage(session.page);
    await page.openForOrg(orgId);
    await page.create(receiverUrl, 'On-call');

    const dialog = new SecretDialog(session.page);
    await dialog.waitFor();
    secret = await dialog.value();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await dialog.done();
    await page.row(receiverUrl).waitFor();
    expect(await page.hint(receiverUrl)).toBe(`whsec_...${secret.slice(-4)}`);
    expect(await session.page.content()).not.toContain(secret);

    // An alert raised now reaches the receiver, signed with that secret, and the page's list without a reload.
    await serveUnchecked('2030-09-01T08');
    const [delivery] = await waitFor('the webhook delivery', () => (received.length ? received : undefined));
    const timestamp = String(delivery.headers['x-gateway-webhook-timestamp']);
    const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex')}`;
    expect(delivery.headers['x-gateway-webhook-signature']).toBe(expected);
    expect(JSON.parse(delivery.body).alert).toMatchObject({ orgId, kind: 'fail_open', uncheckedRecords: 1 });
    await page.alerts().first().waitFor();
    expect(await page.alerts().first().getAttribute('data-kind')).toBe('FAIL_OPEN');
    expect(await page.alerts().first().textContent()).toContain('served without a budget check');

    // The reload shows the same row, and still no secret.
    await session.page.reload();
    await page.row(receiverUrl).waitFor();
    expect(await session.page.content()).not.toContain(secret);
    await session.close();
  });

  it('shows a viewer the endpoints and alerts without write controls', async () => {
    const session = await browser.newSession({ label: 'org viewer', baseURL: stack.web.url });
    await signIn(session.page, viewer);
    const page = new WebhooksPage(session.page);
    await page.openForOrg(orgId);
    await page.row(receiverUrl).waitFor();
    await page.alerts().first().waitFor();
    expect(await page.newButton().count()).toBe(0);
    expect(await page.row(receiverUrl).getByTestId('edit-webhook').count()).toBe(0);
    expect(await page.row(receiverUrl).getByTestId('rotate-webhook').count()).toBe(0);
    await session.close();
  });
});
