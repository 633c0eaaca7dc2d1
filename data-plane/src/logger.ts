// One pino logger for the process; request paths log only failures, never at info level.
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Keys whose values are secrets wherever they sit in a log object, up to three levels down (`err.headers.x`,
 * `req.headers.x`). Defence in depth: no code logs them on purpose. The control plane's logger has the same list.
 */
const secretKeys = [
  'authorization',
  'x-api-key',
  'apiKey',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'secret',
  'dataPlaneToken',
  'metricsToken',
  'masterKey',
];
const redactPaths = secretKeys.flatMap((key) => {
  const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
  return [at.replace(/^\./, ''), `*${at}`, `*.*${at}`];
});

export function createLogger(level: string, name = 'data-plane', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: undefined,
    redact: { paths: redactPaths, censor: '[redacted]' },
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
