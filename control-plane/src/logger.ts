// The JSON logger (pino); secrets and bearer tokens are redacted wherever they might appear (@gw/schema log-redaction.ts).
import { logRedactPaths } from '@gw/schema';
import { type Logger, pino } from 'pino';

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'control-plane' },
    redact: { paths: logRedactPaths, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
