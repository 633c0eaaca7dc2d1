// Runs the real app on a random port around a given snapshot, collecting usage records and unhandled errors.
import { randomUUID } from 'node:crypto';
import type { Snapshot, UsageRecord } from '@gw/schema';
import { createApp } from '../app.ts';
import { BudgetLeases, type BudgetLeasesOptions } from '../budgets/budget-leases.ts';
import type { LeaseFn } from '../budgets/lease-client.ts';
import { RateLimiter } from '../budgets/rate-limiter.ts';
import { serverLimitDefaults } from '../config.ts';
import { ControlPlaneError } from '../control-plane-client.ts';
import { capturingLogger } from '../logger.ts';
import { GatewayMetrics } from '../metrics.ts';
import type { AppDeps, Lifecycle } from '../routes/deps.ts';
import { type GatewayServer, type ServerLimits, startServer } from '../server.ts';
import { StoreHolder } from '../snapshot/store.ts';
import { Upstream } from '../upstream/pools.ts';
import { storeOf } from './snapshots.ts';

export interface TestGateway {
  readonly url: string;
  readonly usage: UsageRecord[];
  readonly unhandled: unknown[];
  /** Every log line the app wrote (JSON text), debug level and up. */
  readonly logs: string[];
  /** The log lines at error level or above: bad client input must never produce one. */
  errorLogs(): string[];
  readonly stores: StoreHolder;
  readonly metrics: GatewayMetrics;
  readonly lifecycle: Lifecycle;
  readonly server: GatewayServer;
  readonly deps: AppDeps;
  readonly budgets: BudgetLeases;
  readonly rates: RateLimiter;
  close(): Promise<void>;
}

/** The lease function of a gateway without a control plane: every call fails as an unreachable one does. */
export const unreachableLease: LeaseFn = () =>
  Promise.reject(new ControlPlaneError('control plane unreachable: none in this test'));

export async function startGateway(
  snapshot: Snapshot | null,
  options: {
    maxBodyBytes?: number;
    upstreamTimeoutMs?: number;
    connectTimeoutMs?: number;
    metricsToken?: string;
    host?: string;
    limits?: Partial<ServerLimits>;
    /** The budget lease call (default: an unreachable control plane). */
    lease?: LeaseFn;
    budgets?: Partial<BudgetLeasesOptions>;
  } = {},
): Promise<TestGateway> {
  const usage: UsageRecord[] = [];
  const unhandled: unknown[] = [];
  const { logger, lines: logs } = capturingLogger();
  const stores = new StoreHolder();
  if (snapshot) stores.swap(storeOf(snapshot));
  const upstream = new Upstream({
    timeoutMs: options.upstreamTimeoutMs ?? 5000,
    connectTimeoutMs: options.connectTimeoutMs ?? 2000,
  });
  const metrics = new GatewayMetrics({ userLabels: false, keyLabels: false });
  const lifecycle: Lifecycle = { shuttingDown: false };
  const rates = new RateLimiter();
  const bootId = randomUUID();
  const budgets = new BudgetLeases({
    lease: options.lease ?? unreachableLease,
    nodeId: 'test-node',
    bootId,
    stores,
    logger,
    onDataPlanes: (count) => {
      rates.dataPlanes = count;
    },
    ...options.budgets,
  });
  const deps: AppDeps = {
    nodeId: 'test-node',
    bootId,
    budgets,
    rates,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    stores,
    upstream,
    usage: { record: (r) => usage.push(r) },
    metrics,
    logger,
    lifecycle,
    metricsToken: options.metricsToken ?? null,
    onUnhandledError: (err) => unhandled.push(err),
  };
  const server = await startServer(createApp(deps), {
    host: options.host ?? '127.0.0.1',
    port: 0,
    limits: { ...serverLimitDefaults, ...options.limits },
    onConnectionRefused: () => metrics.connectionsRefused.inc(),
  });
  return {
    url: server.url,
    usage,
    unhandled,
    logs,
    errorLogs: () => logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 50),
    stores,
    metrics,
    lifecycle,
    server,
    deps,
    budgets,
    rates,
    async close() {
      budgets.calls.stop();
      await server.close(1000);
      await upstream.close();
    },
  };
}
