// Starts real control-plane instances on port 0 against a test database, with GraphQL and graphql-ws helpers.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { type Client, createClient } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
import { type App, startApp } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';

export const adminToken = 'test-admin-token-0123456789';
export const dataPlaneToken = 'test-data-plane-token-0123456789';
export const seedAdmin = { email: 'root@example.com', password: 'correct horse battery' };

export interface LogEntry {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface TestApp extends App {
  /** Every log line this instance wrote, parsed. */
  logs: LogEntry[];
  /** Log entries at level error or above: a test fails on unexpected ones (see expectNoErrorLogs). */
  errorLogs(): LogEntry[];
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GqlResult<T>>;
  wsClient(token: string | null): Client;
  /**
   * One query or mutation over graphql-ws, answered like gql(): the result (`status` 200) or the operation's
   * errors (`status` 0, an error message of the protocol). A closed socket rejects.
   */
  wsGql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GqlResult<T>>;
}

export interface GqlResult<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export function testConfig(databaseUrl: string, overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({
      DATABASE_URL: databaseUrl,
      CP_PORT: '0',
      MASTER_KEY: randomBytes(32).toString('base64'),
      DATA_PLANE_TOKEN: dataPlaneToken,
      ADMIN_TOKEN: adminToken,
      SEED_ADMIN_EMAIL: seedAdmin.email,
      SEED_ADMIN_PASSWORD: seedAdmin.password,
      CORS_ORIGINS: 'http://ui.example',
    }),
    ...overrides,
  };
}

export async function startTestApp(config: Config): Promise<TestApp> {
  const logs: LogEntry[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line) as LogEntry);
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const app = await startApp(config, logger);
  const clients: Client[] = [];
  const wsClient = (token: string | null): Client => {
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    return client;
  };
  return {
    ...app,
    logs,
    errorLogs: () => logs.filter((l) => l.level >= 50),
    async gql(query, variables, token = adminToken) {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as object) };
    },
    wsClient,
    async wsGql<T>(query: string, variables?: Record<string, unknown>, token: string | null = adminToken) {
      const client = wsClient(token);
      try {
        return await new Promise<GqlResult<T>>((resolve, reject) => {
          let result: GqlResult<T> | undefined;
          client.subscribe<T>(
            { query, variables },
            {
              next: (r) => {
                result = { status: 200, data: r.data, errors: r.errors as GqlResult<T>['errors'] };
              },
              error: (e) => {
                if (Array.isArray(e)) resolve({ status: 0, errors: e });
                else reject(e instanceof Error ? e : new Error(`websocket closed: ${(e as { code?: number }).code}`));
              },
              complete: () => (result ? resolve(result) : reject(new Error('completed without a result'))),
            },
          );
        });
      } finally {
        await client.dispose();
      }
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.close();
    },
  };
}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
