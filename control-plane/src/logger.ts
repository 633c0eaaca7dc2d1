// The JSON logger (pino); secrets and bearer tokens are redacted wherever they might appear.
import { type Logger, pino } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'control-plane' },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'connectionParams.authorization',
        '*.apiKey',
        '*.password',
        '*.secret',
        '*.token',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
