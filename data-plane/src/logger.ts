// One pino logger for the process; request paths log only failures, never at info level.
import { logRedactPaths } from '@gw/schema';
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, name = 'data-plane', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: undefined,
    redact: { paths: logRedactPaths, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger with the process's settings that keeps every line it writes, for tests that inspect the logs. */
export function capturingLogger(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger(level, 'data-plane', { write: (line: string) => void lines.push(line) }), lines };
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
