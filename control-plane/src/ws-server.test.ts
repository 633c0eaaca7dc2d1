// graphql-ws messages no client should send close the socket as the client's fault (4400, a warning), never as an
// internal error (4500 and a stack on the console); well-formed ones are answered as before.
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { useApiSuite } from './test-support/suite.ts';
import { adminToken } from './test-support/test-app.ts';

const t = useApiSuite();

interface Session {
  socket: WebSocket;
  /** Messages received, parsed. */
  received: { type: string; payload?: unknown }[];
  closed: Promise<{ code: number; reason: string }>;
}

/** A raw graphql-transport-ws socket, acknowledged as the admin. */
async function open(): Promise<Session> {
  const socket = new WebSocket(`${t.app.url.replace(/^http/, 'ws')}/graphql`, GRAPHQL_TRANSPORT_WS_PROTOCOL);
  const received: Session['received'] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const acked = new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Session['received'][number];
      received.push(message);
      if (message.type === 'connection_ack') resolve();
    });
    void closed.then((c) => reject(new Error(`closed before the ack: ${c.code}`)));
  });
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${adminToken}` } })),
  );
  await acked;
  return { socket, received, closed };
}

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('client messages graphql-ws must not take as an internal error', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ['a `next` message (a server’s type)', JSON.stringify({ id: '1', type: 'next', payload: {} })],
    ['a `connection_ack` message (a server’s type)', JSON.stringify({ type: 'connection_ack' })],
    ['an `error` message (a server’s type)', JSON.stringify({ id: '1', type: 'error', payload: [] })],
    ['a message of no known type', JSON.stringify({ type: 'hello' })],
    [
      'a ping whose payload is nested 30,000 levels (echoed, it would overflow JSON.stringify)',
      `{"type":"ping","payload":${nested(30_000)}}`,
    ],
    ['a pong whose payload is nested 33 levels', `{"type":"pong","payload":${nested(33)}}`],
    ['text that is not JSON', '{"type":'],
  ])('closes the socket with 4400 on %s, with a warning only', async (_, message) => {
    const consoleError = vi.spyOn(console, 'error');
    const { socket, closed } = await open();
    socket.send(message);
    expect(await closed).toEqual({ code: 4400, reason: 'Invalid message received' });
    expect(consoleError).not.toHaveBeenCalled();
    expect(t.app.logs.some((l) => l.level === 40 && String(l.msg).startsWith('websocket message refused'))).toBe(true);
  });

  it('answers a ping with a payload of a sane depth with a pong carrying it, and keeps the socket', async () => {
    const { socket, received, closed } = await open();
    const payload = JSON.parse(nested(32)) as unknown;
    socket.send(JSON.stringify({ type: 'ping', payload }));
    socket.send(JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } }));
    await new Promise<void>((resolve) =>
      socket.on('message', () => received.some((m) => m.type === 'complete') && resolve()),
    );
    expect(received.find((m) => m.type === 'pong')).toEqual({ type: 'pong', payload });
    expect(received.find((m) => m.type === 'next')?.payload).toEqual({ data: { __typename: 'Query' } });
    socket.close(1000);
    expect((await closed).code).toBe(1000);
  });
});
