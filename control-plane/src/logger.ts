// The JSON logger (pino); secrets and bearer tokens are redacted wherever they might appear.
import { type Logger, pino } from 'pino';

/**
 * Keys whose values are secrets wherever they sit in a log object, up to three levels down (`err.headers.x`,
 * `req.headers.x`, `connectionParams.authorization`). The data plane's logger has the same list.
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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'control-plane' },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
