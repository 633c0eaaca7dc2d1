// The control plane process minus signal handling: database, migrations, publisher, and one HTTP+WS server.
import 'reflect-metadata';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { LiveCredentials } from './access/live-credentials.ts';
import type { Config } from './config.ts';
import { type Context, callerOf, createContext, type Deps } from './context.ts';
import { SecretBox } from './crypto/secret-box.ts';
import { DatabaseStatus } from './db/database-status.ts';
import { closeOrm, createOrm, migrate } from './db/orm.ts';
import { createErrorFormatter } from './errors.ts';
import { createDocumentStore } from './graphql/document-store.ts';
import { OperationGuard } from './graphql/operation-guard.ts';
import { ResponseCap } from './graphql/response-size.ts';
import { bodyLimit } from './http/body.ts';
import { clientAddress } from './http/client-address.ts';
import { applyCors } from './http/cors.ts';
import { handleGraphQL } from './http/graphql-http.ts';
import { handleUsageCsv, usageCsvPath } from './http/usage-csv.ts';
import type { Logger } from './logger.ts';
import { AdminAuthService } from './modules/admin-auth/admin-auth.service.ts';
import { AlertFeed } from './modules/alerts/alert-feed.ts';
import { UsageFeed } from './modules/usage/usage-feed.ts';
import { UsageLifecycle } from './modules/usage/usage-lifecycle.ts';
import { WebhookWorker } from './modules/webhooks/webhook-worker.ts';
import { gatewaySchema } from './schema.ts';
import { Publisher } from './sync/publisher.ts';
import { warmUp } from './warm-up.ts';
import { attachWebSocket } from './ws.ts';

export interface App {
  /** http://host:port, no path. */
  url: string;
  port: number;
  deps: Deps;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startApp(config: Config, logger: Logger): Promise<App> {
  const orm = await createOrm(config.databaseUrl, logger);
  const closers: (() => Promise<unknown>)[] = [() => closeOrm(orm)];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((err) => logger.error({ err }, 'error while closing'));
  };
  const database = new DatabaseStatus({ probe: () => orm.em.fork().execute('select 1'), logger });
  closers.push(async () => database.stop());
  try {
    await migrate(orm, logger);
    if (config.seedAdmin) await new AdminAuthService(orm.em.fork()).seedFirstAdmin(config.seedAdmin, logger);

    const usageLifecycle = new UsageLifecycle({
      orm,
      logger,
      database,
      recordsRetentionMonths: config.usageRecordsRetentionMonths,
      rollupsRetentionMonths: config.usageRollupsRetentionMonths,
    });
    await usageLifecycle.start();
    closers.push(() => usageLifecycle.stop());

    const secretBox = new SecretBox(config.masterKey);
    const publisher = new Publisher({ databaseUrl: config.databaseUrl, em: orm.em, database, secretBox, logger });
    await publisher.start();
    closers.push(() => publisher.stop());
    const usageFeed = new UsageFeed({ databaseUrl: config.databaseUrl, database, logger });
    await usageFeed.start();
    closers.push(() => usageFeed.stop());
    const webhookWorker = new WebhookWorker({
      orm,
      secretBox,
      logger,
      database,
      timeoutMs: config.webhookTimeoutMs,
      retryBaseMs: config.webhookRetryBaseMs,
      maxAttempts: config.webhookMaxAttempts,
      allowInternal: config.webhookAllowInternal,
    });
    // An alert raised on any replica may have queued deliveries: every replica's worker looks (SKIP LOCKED shares them).
    const alertFeed = new AlertFeed({
      databaseUrl: config.databaseUrl,
      orm,
      database,
      logger,
      onRaised: () => webhookWorker.wake(),
    });
    await alertFeed.start();
    closers.push(() => alertFeed.stop());
    webhookWorker.start();
    closers.push(() => webhookWorker.stop());

    const liveCredentials = new LiveCredentials({
      databaseUrl: config.databaseUrl,
      logger,
      database,
      resolve: (authorization) => callerOf(authorization, deps, orm.em.fork()),
    });
    await liveCredentials.start();
    closers.push(() => liveCredentials.stop());

    const deps: Deps = {
      config,
      logger,
      orm,
      database,
      secretBox,
      publisher,
      usageFeed,
      alertFeed,
      liveCredentials,
    };
    const schema = await gatewaySchema();
    const formatError = createErrorFormatter(logger, database);
    const guard = new OperationGuard(schema, {
      maxDepth: config.maxQueryDepth,
      maxCost: config.maxQueryCost,
      maxAliases: config.maxQueryAliases,
      maxTokens: config.maxQueryTokens,
      introspection: config.introspection,
    });
    const responseCap = new ResponseCap(config.maxResponseBytes, logger);
    const apollo = new ApolloServer<Context>({
      schema,
      // Introspection is refused by the guard's validation rules, which WebSocket operations go through too.
      introspection: true,
      parseOptions: guard.parseOptions,
      validationRules: guard.validationRules,
      // Automatic persisted queries are off: no client of ours sends them, any caller could fill a server cache with
      // documents, and Apollo answers a hash mismatch without a code. Clients get PERSISTED_QUERY_NOT_SUPPORTED.
      persistedQueries: false,
      includeStacktraceInErrorResponses: false,
      documentStore: createDocumentStore(),
      formatError,
      plugins: [guard.plugin()],
    });
    await apollo.start();
    closers.push(() => apollo.stop());
    await warmUp(apollo, deps);

    const server = createServer((req, res) => {
      handle(req, res).catch((err) => {
        const unavailable = database.failed(err);
        if (!unavailable) logger.error({ err }, 'unhandled HTTP error');
        if (res.headersSent) res.destroy();
        else if (unavailable) json(res, 503, { errors: [{ message: 'Service unavailable' }] });
        else json(res, 500, { errors: [{ message: 'Internal server error' }] });
      });
    });
    // Readiness: send traffic here only while the database answers.
    const readyz = async (res: ServerResponse) => {
      if (await database.check()) return json(res, 200, { status: 'ready' });
      json(res, 503, { status: 'unavailable', reason: 'database unavailable' });
    };
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      if (applyCors(req, res, config.corsOrigins)) return;
      const path = (req.url ?? '/').split('?')[0];
      const probe = req.method === 'GET' || req.method === 'HEAD';
      // Liveness answers while the process can answer at all: restarting it would not bring the database back.
      if (path === '/healthz' && probe) return json(res, 200, { status: 'ok' });
      if (path === '/readyz' && probe) return readyz(res);
      if (path === '/graphql') {
        if (req.method !== 'GET' && req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
        return handleGraphQL(
          req,
          res,
          apollo,
          responseCap,
          logger,
          () => createContext(req.headers.authorization, deps, clientAddress(req, deps.config.trustedProxies)),
          bodyLimit(req.headers.authorization, config.dataPlaneToken),
          config.maxQueryTokens,
        );
      }
      if (path === usageCsvPath) return handleUsageCsv(req, res, deps);
      json(res, 404, { error: 'not found' });
    };

    const ws = attachWebSocket(server, schema, deps, formatError, { guard, responseCap });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    // Closed first: upgraded WebSocket sockets keep server.close() waiting until they are gone.
    closers.push(() => ws.close());
    const port = (server.address() as AddressInfo).port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    logger.info({ url }, 'listening');
    return { url, port, deps, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
