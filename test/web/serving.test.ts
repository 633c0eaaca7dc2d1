// Issue 4 point 5, in a browser: the built UI is static files served by the quick start's own server
// (scripts/lib/static-server.ts). A deep link loads through the index.html fallback, and the GraphQL URL comes
// from /config.json at run time: the same dist, served twice with two config.json values, talks to each URL.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../scripts/lib/static-server.ts';
import { freePort, gqlClient, startControlPlane, startPostgres, Teardown } from '../harness/index.ts';
import { signIn } from './commands/sign-in.ts';
import { type PageSession, useBrowser } from './fixtures/browser.ts';
import { type CountingProxy, startCountingProxy } from './fixtures/counting-proxy.ts';
import { webDist } from './fixtures/paths.ts';
import { password } from './fixtures/stack.ts';
import { LoginPage } from './pages/login-page.ts';
import { Shell } from './pages/shell.ts';

const root = webDist.replace(/\/$/, '');

/** GraphQL requests the page sends, by origin. */
function graphqlOrigins(session: PageSession): Set<string> {
  const origins = new Set<string>();
  session.page.on('request', (r: Request) => {
    const url = new URL(r.url());
    if (url.pathname === '/graphql') origins.add(url.origin);
  });
  return origins;
}

describe('serving the built UI', () => {
  const browser = useBrowser();
  const teardown = new Teardown();
  const admin = { email: 'platform@serving.test', password: password() };
  let cpUrl: string;
  let proxy: CountingProxy;
  let direct: string;
  let proxied: string;
  let orgId: string;

  beforeAll(async () => {
    // The web origins go into the control plane's CORS list, so their ports are chosen first.
    const ports = [await freePort(), await freePort()];
    const origins = ports.map((p) => `http://127.0.0.1:${p}`);
    const db = teardown.add(await startPostgres(), (d) => d.stop(), 'postgres');
    const cp = teardown.add(
      await startControlPlane({
        databaseUrl: db.url,
        name: 'web-serving-control-plane',
        env: { SEED_ADMIN_EMAIL: admin.email, SEED_ADMIN_PASSWORD: admin.password, CORS_ORIGINS: origins.join(',') },
      }),
      (c) => c.dispose(),
      'control plane',
    );
    cpUrl = cp.url;
    proxy = teardown.add(await startCountingProxy(cp.url), (p) => p.close(), 'proxy');
    const servers = [
      await startStaticServer({ root, host: '127.0.0.1', port: ports[0], config: { graphqlUrl: cp.graphqlUrl } }),
      await startStaticServer({
        root,
        host: '127.0.0.1',
        port: ports[1],
        config: { graphqlUrl: `${proxy.url}/graphql` },
      }),
    ];
    for (const s of servers) teardown.add(s, (x: Server) => new Promise<void>((done) => x.close(() => done())));
    [direct, proxied] = origins;
    const { createOrganization } = await gqlClient(
      cp.graphqlUrl,
      cp.adminToken,
    )<{
      createOrganization: { id: string };
    }>('mutation { createOrganization(input: { name: "Deep Link Inc" }) { id } }');
    orgId = createOrganization.id;
  });

  afterAll(() => teardown.run());

  it('loads a deep link through the index.html fallback, before and after signing in', async () => {
    const session = await browser.newSession({ label: 'deep link', baseURL: direct });
    const { page } = session;
    const deepLink = `/orgs/${orgId}/users`;
    const document = await page.goto(deepLink);
    expect(document?.status()).toBe(200);
    expect(document?.headers()['content-type']).toMatch(/^text\/html/);
    expect(await document?.text()).toBe(readFileSync(join(root, 'index.html'), 'utf8'));
    // Signed out: the router sends the visitor to the login page, remembering the link.
    const login = new LoginPage(page);
    await login.waitForShown();
    expect(new URL(page.url()).searchParams.get('next')).toBe(deepLink);
    await login.signIn(admin.email, admin.password);
    await page.waitForURL((url) => url.pathname === deepLink);
    const shell = new Shell(page);
    await shell.orgName().filter({ hasText: 'Deep Link Inc' }).waitFor();
    await shell.heading().waitFor();
    expect(await page.getByText('This page does not exist').count()).toBe(0);

    // Signed in: a reload of the deep link is a fresh document from the fallback, straight to the page.
    const again = await page.reload();
    expect(again?.status()).toBe(200);
    await shell.orgName().filter({ hasText: 'Deep Link Inc' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(deepLink);
    await session.close();
  });

  it('reads the GraphQL URL from /config.json at run time: one build, two back-end URLs', async () => {
    const a = await browser.newSession({ label: 'config A', baseURL: direct });
    const b = await browser.newSession({ label: 'config B', baseURL: proxied });
    const seenA = graphqlOrigins(a);
    const seenB = graphqlOrigins(b);
    // The same files answer on both servers; only /config.json differs.
    const [indexA, indexB] = await Promise.all([direct, proxied].map(async (o) => (await fetch(o)).text()));
    expect(indexA).toBe(indexB);

    await signIn(a.page, admin);
    expect([...seenA]).toEqual([cpUrl]);
    expect(proxy.count()).toBe(0);

    await signIn(b.page, admin);
    expect([...seenB]).toEqual([proxy.url]);
    expect(proxy.count('/graphql')).toBeGreaterThan(0);
    expect([...seenA]).toEqual([cpUrl]);
  });
});
