// Process entry: config, boot from the disk snapshot, serve, sync with the control plane, graceful stop.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from './app.ts';
import { BudgetLeases } from './budgets/budget-leases.ts';
import { leaseBudgets } from './budgets/lease-client.ts';
import { RateLimiter } from './budgets/rate-limiter.ts';
import { loadConfig } from './config.ts';
import { ControlPlaneClient } from './control-plane-client.ts';
import { createLogger } from './logger.ts';
import { GatewayMetrics } from './metrics.ts';
import type { Lifecycle } from './routes/deps.ts';
import { startServer } from './server.ts';
import { NodeStatusReporter } from './snapshot/node-status.ts';
import { bootFromDisk, SnapshotFile } from './snapshot/persist.ts';
import { StoreHolder } from './snapshot/store.ts';
import { ConfigSync } from './snapshot/sync.ts';
import { limitHeapGrowth } from './snapshot/young-generation.ts';
import { secureStateDir } from './state-dir.ts';
import { lockStateDir } from './state-lock.ts';
import { Upstream } from './upstream/pools.ts';
import { UsageBatcher } from './usage/batcher.ts';
import { DeadLetterFile } from './usage/dead-letter.ts';
import { InflightJournal, recoverInflight } from './usage/inflight.ts';
import { ingestUsage, isPermanentIngestError } from './usage/ingest.ts';
import { UsageSpool } from './usage/spool.ts';

/**
 * How long shutdown spends sending the last usage batches before leaving them in the spool (on disk, sent at the
 * next start). With the default SHUTDOWN_GRACE_MS the whole stop stays under Kubernetes' 30 s default grace.
 */
const usageFlushOnStopMs = 5_000;
/** How long shutdown spends exporting the last spans; runs beside the usage flush, so it adds no time to the stop. */
const traceFlushOnStopMs = 5_000;
/** How long shutdown spends giving budget leases back (they expire at the control plane otherwise). */
const leaseReturnOnStopMs = 3_000;
/** Lease calls have their own connections and a short timeout: requests may be waiting for them. */
const leaseCallTimeoutMs = 5_000;

async function main(): Promise<void> {
  limitHeapGrowth();
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', msg: 'invalid configuration', problems: loaded.problems })}\n`,
    );
    process.exit(1);
  }
  const config = loaded.config;
  const logger = createLogger(config.logLevel);
  const startedAt = new Date();
  // This process's boot: its budget leases are its own, and every usage record names it.
  const bootId = randomUUID();
  const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;

  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

  let unlock: () => void;
  try {
    unlock = await lockStateDir(config.stateDir);
    const loose = await secureStateDir(config.stateDir);
    if (loose.length) {
      logger.warn(
        { count: loose.length, paths: loose.slice(0, 10) },
        'the state dir held files or folders that other users could read; made them owner-only',
      );
    }
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, 'cannot use the state dir');
    process.exit(1);
  }
  process.once('exit', () => unlock());

  const stores = new StoreHolder();
  const file = new SnapshotFile(config.stateDir, config.dataPlaneToken);
  await bootFromDisk(file, stores, logger);

  const upstream = new Upstream({
    timeoutMs: config.upstreamTimeoutMs,
    connectTimeoutMs: config.upstreamConnectTimeoutMs,
  });
  stores.onSwap((store) => upstream.retainOnly([...store.credentials.values()].map((c) => c.baseUrl)));

  // Loaded only when configured: with tracing off, no OpenTelemetry SDK module is in the process.
  const tracing = config.tracing
    ? await (await import('./tracing/otel.ts')).startTracing(config.tracing, { nodeId: config.nodeId, version }, logger)
    : null;
  if (config.tracing) {
    // The host only: an endpoint URL may carry credentials.
    const { protocol, sampler, samplerRatio, serviceName } = config.tracing;
    logger.info(
      { collector: new URL(config.tracing.url).host, protocol, sampler, samplerRatio, serviceName },
      'tracing on: exporting spans over OTLP',
    );
  }

  const metrics = new GatewayMetrics({
    userLabels: config.metricsUserLabels,
    keyLabels: config.metricsKeyLabels,
    defaultMetrics: true,
  });

  const cp = new ControlPlaneClient({ url: config.controlPlaneUrl, token: config.dataPlaneToken });
  const spool = await UsageSpool.open(config.stateDir, {
    logger,
    maxBytes: config.usageSpoolMaxBytes,
    onDropped: (count, reason) => metrics.usageDropped.inc({ reason }, count),
  });
  // Requests a crash cut short: billed as incomplete, before the journal starts afresh.
  const interrupted = await recoverInflight(config.stateDir, logger);
  if (interrupted.length) {
    for (const r of interrupted) spool.append(r);
    await spool.flush();
    logger.warn({ records: interrupted.length }, 'recorded requests the last run left in flight as incomplete usage');
  }
  const inflight = await InflightJournal.open(config.stateDir, config.nodeId, { logger, bootId });
  inflight.start();
  const deadLetter = await DeadLetterFile.open(config.stateDir);
  const usage = new UsageBatcher({
    spool,
    deadLetter,
    send: ingestUsage(cp),
    isPermanent: isPermanentIngestError,
    onRejected: (count) => metrics.usageRejected.inc(count),
    batchSize: config.usageBatchSize,
    flushMs: config.usageFlushMs,
    logger,
  });
  usage.start();
  const usageFigures = () => ({
    backlog: spool.openCount + spool.pendingCount,
    deadLetterRecords: deadLetter.records,
  });
  metrics.usageSource = usageFigures;
  // The store in force: it is swapped in as soon as it is built, so its appliedAt is when this node applied it.
  metrics.configSource = () => {
    const store = stores.current;
    return store && { version: store.version, appliedAt: store.appliedAt.getTime() };
  };
  const lifecycle: Lifecycle = { shuttingDown: false };
  const leaseCp = new ControlPlaneClient({
    url: config.controlPlaneUrl,
    token: config.dataPlaneToken,
    timeoutMs: leaseCallTimeoutMs,
  });
  const rates = new RateLimiter();
  const budgets = new BudgetLeases({
    lease: leaseBudgets(leaseCp),
    nodeId: config.nodeId,
    bootId,
    stores,
    logger,
    waitMs: config.budgets.leaseWaitMs,
    defaultMaxOutputTokens: config.budgets.defaultMaxOutputTokens,
    idleReturnMs: config.budgets.idleReturnMs,
    onDataPlanes: (count) => {
      rates.dataPlanes = count;
    },
    onTick: () => rates.sweep(),
  });
  const app = createApp({
    nodeId: config.nodeId,
    bootId,
    budgets,
    rates,
    maxBodyBytes: config.maxBodyBytes,
    stores,
    upstream,
    usage,
    inflight,
    metrics,
    logger,
    lifecycle,
    metricsToken: config.metricsToken,
    tracing,
  });
  const server = await startServer(app, {
    host: config.host,
    port: config.port,
    limits: config.server,
    onConnectionRefused: () => metrics.connectionsRefused.inc(),
  });
  if (logger.isLevelEnabled('info')) logger.info({ url: server.url, nodeId: config.nodeId }, 'listening');
  else process.stdout.write(`${JSON.stringify({ msg: 'listening', url: server.url, nodeId: config.nodeId })}\n`);

  const reporter = new NodeStatusReporter({
    client: cp,
    stores,
    logger,
    nodeId: config.nodeId,
    startedAt,
    version,
    usage: () => ({ ...usageFigures(), lastDeadLetterAt: deadLetter.lastAt?.toISOString() ?? null }),
    lastRejected: () => sync.lastRejected,
  });
  const sync = new ConfigSync({
    url: config.controlPlaneWsUrl,
    token: config.dataPlaneToken,
    nodeId: config.nodeId,
    stores,
    file,
    logger,
    onApplied: () => {
      void reporter.reportNow();
      usage.retryNow();
    },
    onRejected: () => void reporter.reportNow(),
  });
  reporter.start();
  sync.start();

  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    lifecycle.shuttingDown = true;
    logger.info({ signal, inFlight: server.inFlight() }, 'shutting down');
    const { drained } = await server.close(config.shutdownGraceMs);
    if (!drained) logger.warn({ graceMs: config.shutdownGraceMs }, 'grace period over; cut the remaining requests');
    // After the drain: nothing holds a lease any more, so every balance can go back.
    await Promise.race([
      budgets.calls
        .returnAll()
        .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'could not give budget leases back')),
      sleep(leaseReturnOnStopMs, undefined, { ref: false }),
    ]);
    reporter.stop();
    await sync.stop();
    await inflight.close().catch((err: unknown) => logger.error({ err }, 'could not close the in-flight journal'));
    const [flushed] = await Promise.all([usage.stop(usageFlushOnStopMs), tracing?.shutdown(traceFlushOnStopMs)]);
    if (!flushed.sent) logger.warn({ left: flushed.left }, 'usage left in the spool for the next start');
    await deadLetter.close();
    await Promise.allSettled([upstream.close(), cp.close(), leaseCp.close()]);
    logger.info('stopped');
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // After an uncaught exception the process state is unknown: drain and flush like on SIGTERM, then exit 1
  // so that the supervisor starts a clean process.
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception; shutting down');
    void shutdown('uncaughtException', 1);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'data plane failed to start', err: String(err) })}\n`);
  process.exit(1);
});
