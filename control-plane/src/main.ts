// Process entry: load config, start the app, shut down gracefully on SIGTERM/SIGINT.
import 'reflect-metadata';
import { startApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  if (config.dataPlaneToken.length < 16) logger.warn('DATA_PLANE_TOKEN is shorter than 16 characters');
  if (config.adminToken !== undefined && config.adminToken.length < 16) {
    logger.warn('ADMIN_TOKEN is shorter than 16 characters');
  }
  const app = await startApp(config, logger).catch((err) => {
    logger.fatal({ err }, 'control plane failed to start');
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, 10_000);
    force.unref();
    await app.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
