// The cap on one GraphQL result, the same over HTTP and WebSocket: a result over GRAPHQL_MAX_RESPONSE_BYTES is
// replaced by a RESPONSE_TOO_LARGE error, never cut into a partial payload.
import type { FormattedExecutionResult } from 'graphql';
import type { Caller } from '../context.ts';
import type { Logger } from '../logger.ts';

export class ResponseCap {
  readonly #maxBytes: number;
  readonly #log: Logger;

  constructor(maxBytes: number, logger: Logger) {
    this.#maxBytes = maxBytes;
    this.#log = logger.child({ component: 'response-cap' });
  }

  /** Data planes are not capped: a full config snapshot is as large as the deployment, and must arrive whole. */
  exempt(caller: Caller | undefined): boolean {
    return caller?.kind === 'data-plane';
  }

  /** The answer to send instead of `json` (a serialized result) when it is over the cap; null when it fits. */
  oversize(json: string, operationName: string | null | undefined): FormattedExecutionResult | null {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts need no byte count.
    if (json.length * 3 <= this.#maxBytes) return null;
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes <= this.#maxBytes) return null;
    this.#log.warn({ bytes, maxBytes: this.#maxBytes, operationName }, 'result over the response size limit refused');
    return {
      data: null,
      errors: [
        {
          message:
            `The result is ${bytes} bytes; at most ${this.#maxBytes} may be sent in one response ` +
            '(ask for fewer fields, fewer aliases or smaller pages)',
          extensions: { code: 'RESPONSE_TOO_LARGE', bytes, maxBytes: this.#maxBytes },
        },
      ],
    };
  }
}
