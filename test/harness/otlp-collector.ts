// A tiny OTLP/HTTP trace receiver for tests: keeps every export as received (raw bytes and content type) and decodes
// the OTLP/JSON ones into flat spans. Can start on a port chosen in advance (to play a collector that comes back).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait.ts';

export interface ReceivedExport {
  path: string;
  contentType: string;
  body: Buffer;
}

/** OTLP/JSON attribute values as the exporter encodes them. */
type AnyValue = { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };

export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** 1 internal, 2 server, 3 client (OTLP SpanKind). */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  attributes: Record<string, string | number | boolean>;
  resource: Record<string, string | number | boolean>;
}

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status?: { code?: number; message?: string };
  attributes?: { key: string; value: AnyValue }[];
}
interface JsonExport {
  resourceSpans: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans: { spans: JsonSpan[] }[];
  }[];
}

function flat(attributes: { key: string; value: AnyValue }[] = []): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes) {
    out[key] = value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue);
  }
  return out;
}

export interface OtlpCollector {
  /** http://127.0.0.1:PORT: the value of OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  port: number;
  readonly exports: ReceivedExport[];
  /** The HTTP status it answers exports with (200; 400 plays a collector that refuses them). */
  status: number;
  /** Every span of every OTLP/JSON export so far. */
  spans(): ExportedSpan[];
  /** Resolves with the spans of `traceId` once `count` of them arrived. */
  waitForTrace(traceId: string, count: number, timeoutMs?: number): Promise<ExportedSpan[]>;
  close(): Promise<void>;
}

export async function startOtlpCollector(port = 0): Promise<OtlpCollector> {
  const exports: ReceivedExport[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      exports.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks),
      });
      const json = (req.headers['content-type'] ?? '').includes('json');
      res.writeHead(state.status, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const spans = () =>
    exports
      .filter((e) => e.contentType.includes('json'))
      .flatMap((e) =>
        (JSON.parse(e.body.toString('utf8')) as JsonExport).resourceSpans.flatMap((rs) =>
          rs.scopeSpans.flatMap((ss) =>
            ss.spans.map(
              (s): ExportedSpan => ({
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId ?? '',
                name: s.name,
                kind: s.kind,
                startNs: BigInt(s.startTimeUnixNano),
                endNs: BigInt(s.endTimeUnixNano),
                status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
                attributes: flat(s.attributes),
                resource: flat(rs.resource?.attributes),
              }),
            ),
          ),
        ),
      );
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    exports,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    spans,
    waitForTrace: (traceId, count, timeoutMs = 10_000) =>
      waitFor(
        `${count} span(s) of trace ${traceId} at the collector`,
        () => {
          const found = spans().filter((s) => s.traceId === traceId);
          return found.length >= count ? found : undefined;
        },
        { timeoutMs },
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
