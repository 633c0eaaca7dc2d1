// One pino logger for the process; request paths log only failures, never at info level.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, name = 'data-plane'): Logger {
  return pino({
    name,
    level,
    base: undefined,
    // Defence in depth: provider secrets and caller keys must never reach a log line.
    redact: {
      paths: ['apiKey', '*.apiKey', 'authorization', '*.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
