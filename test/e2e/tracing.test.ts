// OpenTelemetry traces of the data plane, against a local OTLP receiver: the caller's traceparent is the parent of the
// server span, the provider gets the client span as its parent, refusals are traced with their code, no secret or
// prompt is exported, queued spans leave on SIGTERM, a broken collector costs requests nothing. With tracing off, no
// OpenTelemetry module is loaded, nothing is exported, and the caller's trace context reaches the provider unchanged.
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataPlane } from '../harness/data-plane.ts';
import { type ExportedSpan, type OtlpCollector, startOtlpCollector } from '../harness/otlp-collector.ts';
import { freePort } from '../harness/ports.ts';
import { waitFor } from '../harness/wait.ts';
import { fixtureApiKey, type Stack, startStack } from './stack.ts';

const probe = `--import=${new URL('../harness/otel-module-probe.ts', import.meta.url).href}`;
const prompt = `prompt-${randomBytes(8).toString('hex')}`;
const wrongKey = `sk-gw-${randomBytes(16).toString('hex')}`;
const serverKind = 2;
const clientKind = 3;
const errorStatus = 2;

let stack: Stack;
let collector: OtlpCollector;
let on: DataPlane;
let off: DataPlane;

const newTrace = () => ({ traceId: randomBytes(16).toString('hex'), parentId: randomBytes(8).toString('hex') });
const messages = [{ role: 'user' as const, content: prompt }];

/** The provider fixture's record of the request that carried this trace id. */
async function receivedWith(traceId: string) {
  const all = await stack.fixture.received();
  return all.filter((r) => String(r.headers.traceparent ?? '').includes(traceId));
}

/** The OpenTelemetry packages a process loaded, as its module probe reported them. */
function otelPackages(dp: DataPlane): string[] {
  const output = dp.process.output();
  expect(output, `${dp.nodeId} runs the module probe`).toContain('otel-module-probe: active');
  const prefix = 'otel-module-probe: loaded ';
  return output.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
}

const byKind = (spans: ExportedSpan[], kind: number) => spans.filter((s) => s.kind === kind);

beforeAll(async () => {
  stack = await startStack({
    name: 'tracing',
    dataPlanes: 0,
    models: [
      { name: 'gpt-fixture', upstreamModel: 'fixture-model' },
      { name: 'streams', upstreamModel: 'fixture-model@chunks=3' },
    ],
  });
  collector = stack.teardown.add(await startOtlpCollector(), (c) => c.close(), 'otlp collector');
  on = await stack.addDataPlane('on', {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_SERVICE_NAME: 'gateway-e2e',
      NODE_OPTIONS: probe,
    },
  });
  // An endpoint is set but the SDK is disabled: had anything been loaded or exported, the collector would see it.
  off = await stack.addDataPlane('off', {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_SDK_DISABLED: 'true',
      NODE_OPTIONS: probe,
    },
  });
});
afterAll(async () => {
  await stack?.teardown.run();
});

describe('tracing on', () => {
  it("makes the server span a child of the caller's traceparent, and the provider's parent the client span", async () => {
    const { traceId, parentId } = newTrace();
    const { data, response } = await stack
      .client(on)
      .chat.completions.create(
        { model: 'gpt-fixture', messages },
        { headers: { traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'app=blue' } },
      )
      .withResponse();

    const spans = await collector.waitForTrace(traceId, 2);
    const [server] = byKind(spans, serverKind);
    const [client] = byKind(spans, clientKind);
    expect(server).toMatchObject({ name: 'POST /v1/chat/completions', parentSpanId: parentId, status: { code: 0 } });
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/chat/completions',
      'http.response.status_code': 200,
      'gateway.request_id': response.headers.get('x-request-id'),
      'gateway.org.id': stack.seeded.org.id,
      'gateway.team.id': stack.seeded.team.id,
      'gateway.user.id': stack.seeded.user.id,
      'gateway.key.id': stack.seeded.key.id,
      'gateway.credential.id': stack.seeded.credentialId,
      'gateway.upstream_model': 'fixture-model',
      'gateway.stream': false,
      'gen_ai.request.model': 'gpt-fixture',
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': data.usage?.prompt_tokens,
      'gen_ai.usage.output_tokens': data.usage?.completion_tokens,
    });
    expect(server.resource).toMatchObject({ 'service.name': 'gateway-e2e', 'service.instance.id': on.nodeId });
    expect(client).toMatchObject({ name: 'chat fixture-model', parentSpanId: server.spanId, status: { code: 0 } });
    expect(client.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'fixture-model',
      'http.response.status_code': 200,
    });
    // The provider call lies within the request.
    expect(client.startNs).toBeGreaterThanOrEqual(server.startNs);
    expect(client.endNs).toBeLessThanOrEqual(server.endNs);

    const [sent] = await receivedWith(traceId);
    expect(sent.headers.traceparent).toBe(`00-${traceId}-${client.spanId}-01`);
    expect(sent.headers.tracestate).toBe('app=blue');
  });

  it('starts a new trace for a stream and ends its spans when the stream ends', async () => {
    const { data: stream, response } = await stack
      .client(on)
      .chat.completions.create({ model: 'streams', messages, stream: true })
      .withResponse();
    let chunks = 0;
    for await (const _ of stream) chunks++;
    expect(chunks).toBeGreaterThan(0);
    const requestId = response.headers.get('x-request-id');

    const server = await waitFor('the server span of the stream', () =>
      collector.spans().find((s) => s.attributes['gateway.request_id'] === requestId),
    );
    expect(server).toMatchObject({ kind: serverKind, parentSpanId: '', status: { code: 0 } });
    expect(server.attributes).toMatchObject({ 'gateway.stream': true, 'http.response.status_code': 200 });
    expect(server.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    const [client] = byKind(await collector.waitForTrace(server.traceId, 2), clientKind);
    expect(client.parentSpanId).toBe(server.spanId);
    expect(client.endNs).toBeLessThanOrEqual(server.endNs);
    const [sent] = await receivedWith(server.traceId);
    expect(sent.headers.traceparent).toBe(`00-${server.traceId}-${client.spanId}-01`);
  });

  it('traces a refused request with its code and status, and no provider call', async () => {
    const { traceId, parentId } = newTrace();
    const refused = await stack
      .client(on, wrongKey)
      .chat.completions.create(
        { model: 'gpt-fixture', messages },
        { headers: { traceparent: `00-${traceId}-${parentId}-01` } },
      )
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);

    // A client span would have ended before the server span, so it would be in the same export or an earlier one.
    const spans = await collector.waitForTrace(traceId, 1);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      kind: serverKind,
      parentSpanId: parentId,
      status: { code: errorStatus, message: 'caller_invalid_api_key' },
    });
    expect(spans[0].attributes).toMatchObject({
      'http.response.status_code': 401,
      'error.type': 'caller_invalid_api_key',
    });
    expect(spans[0].attributes['gateway.key.id']).toBeUndefined();
    expect(await receivedWith(traceId)).toEqual([]);
  });

  it('exports no secret and no prompt text', () => {
    const exported = collector.exports.map((e) => e.body.toString('latin1')).join('\n');
    expect(exported).toContain(stack.seeded.org.id);
    for (const secret of [stack.seeded.key.secret, wrongKey, fixtureApiKey, stack.cp.dataPlaneToken, prompt]) {
      expect(exported).not.toContain(secret);
    }
  });

  it('loads the OpenTelemetry SDK and the exporter of its protocol only (which shows that the probe sees them)', () => {
    const loaded = otelPackages(on);
    expect(loaded).toEqual(
      expect.arrayContaining(['@opentelemetry/sdk-trace', '@opentelemetry/exporter-trace-otlp-http']),
    );
    expect(loaded).not.toContain('@opentelemetry/exporter-trace-otlp-proto');
  });
});

describe('tracing off', () => {
  it("passes the caller's traceparent and tracestate to the provider unchanged, and adds none", async () => {
    const { traceId, parentId } = newTrace();
    const traceparent = `00-${traceId}-${parentId}-01`;
    await stack
      .client(off)
      .chat.completions.create({ model: 'gpt-fixture', messages }, { headers: { traceparent, tracestate: 'app=red' } });
    const [sent] = await receivedWith(traceId);
    expect(sent.headers).toMatchObject({ traceparent, tracestate: 'app=red' });

    await stack.fixture.reset();
    await stack.client(off).chat.completions.create({ model: 'gpt-fixture', messages });
    const [plain] = await stack.fixture.received();
    expect(plain.headers.traceparent).toBeUndefined();
    expect(plain.headers.tracestate).toBeUndefined();

    // Exports of a tracing node sent after these arrive: the node without tracing sent none.
    const later = newTrace();
    await stack
      .client(on)
      .chat.completions.create(
        { model: 'gpt-fixture', messages },
        { headers: { traceparent: `00-${later.traceId}-${later.parentId}-01` } },
      );
    await collector.waitForTrace(later.traceId, 2);
    expect(
      collector.spans().filter((s) => s.traceId === traceId || s.resource['service.instance.id'] === off.nodeId),
    ).toEqual([]);
  });

  it('loads no OpenTelemetry SDK module (only the no-op API that prom-client always loads)', () => {
    expect(otelPackages(off)).toEqual(['@opentelemetry/api']);
  });
});

describe('the collector', () => {
  it('gets the queued spans when the data plane stops (http/protobuf, the default protocol)', async () => {
    const drain = await stack.addDataPlane('drain', {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '600000' },
    });
    const { traceId, parentId } = newTrace();
    await stack
      .client(drain)
      .chat.completions.create(
        { model: 'gpt-fixture', messages },
        { headers: { traceparent: `00-${traceId}-${parentId}-01` } },
      );
    const protobuf = () => collector.exports.filter((e) => e.contentType === 'application/x-protobuf');
    // Ten minutes of schedule delay and one span short of a full batch: nothing leaves before the stop.
    expect(protobuf()).toEqual([]);
    expect(await drain.stop()).toBe(0);
    const [sent] = protobuf();
    expect(sent.path).toBe('/v1/traces');
    expect(sent.body.includes(Buffer.from(traceId, 'hex'))).toBe(true);
    expect(sent.body.includes(Buffer.from(parentId, 'hex'))).toBe(true);
    expect(sent.body.includes('POST /v1/chat/completions')).toBe(true);
    expect(sent.body.includes(stack.seeded.key.secret)).toBe(false);
  });

  it('down or refusing costs requests nothing: one warning per failure streak, one line when it recovers', async () => {
    const port = await freePort();
    const flaky = await stack.addDataPlane('flaky', {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TIMEOUT: '500',
        OTEL_BSP_SCHEDULE_DELAY: '20',
      },
    });
    const chat = () => stack.client(flaky).chat.completions.create({ model: 'gpt-fixture', messages });
    const lines = (text: string) => flaky.process.output().filter((l) => l.includes(text));

    // Nothing listens: the request is served, the export fails.
    expect((await chat()).choices).toHaveLength(1);
    await waitFor('the export failure warning', () => lines('trace export failed').length === 1);
    // A collector that refuses (HTTP 400, not retried): two more failed exports, no more warnings.
    const refusing = await startOtlpCollector(port);
    try {
      refusing.status = 400;
      for (const n of [1, 2]) {
        expect((await chat()).choices).toHaveLength(1);
        await waitFor(`refused export ${n}`, () => refusing.exports.length >= n);
      }
      expect(lines('trace export failed')).toHaveLength(1);
      // It accepts again: the next export succeeds and the recovery is told once, with what was lost.
      refusing.status = 200;
      await chat();
      const recovered = await waitFor('the recovery line', () => lines('trace export recovered')[0]);
      expect(JSON.parse(recovered).failedBatches).toBeGreaterThanOrEqual(3);
      expect(refusing.spans().some((s) => s.resource['service.instance.id'] === flaky.nodeId)).toBe(true);
    } finally {
      await refusing.close();
    }
    expect(lines('"level":50')).toEqual([]);
  });
});
