// Wraps the OTLP exporter so that an unreachable or refusing collector costs one warning per failure streak (and
// one line when it recovers), never a log line per batch and never an error on the request path.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { Logger } from '../logger.ts';

export class WatchedExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #logger: Logger;
  /** Spans lost in the current failure streak (0 = the last export succeeded). */
  #lostSpans = 0;
  #failedBatches = 0;

  constructor(inner: SpanExporter, logger: Logger) {
    this.#inner = inner;
    this.#logger = logger;
  }

  get failing(): boolean {
    return this.#failedBatches > 0;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        if (this.#failedBatches > 0) {
          this.#logger.info(
            { failedBatches: this.#failedBatches, lostSpans: this.#lostSpans },
            'trace export recovered; spans of the failed batches were dropped',
          );
          this.#failedBatches = 0;
          this.#lostSpans = 0;
        }
      } else {
        if (this.#failedBatches === 0) {
          // The message names the failure (refused, timeout, HTTP status), never the export headers.
          this.#logger.warn(
            { err: result.error?.message ?? 'export failed', spans: spans.length },
            'trace export failed; dropping spans until the collector answers again (logged once per streak)',
          );
        }
        this.#failedBatches++;
        this.#lostSpans += spans.length;
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}
