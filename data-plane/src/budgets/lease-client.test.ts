// The lease call over HTTP to a stand-in control plane: the mutation and its variables, the data-plane token, and
// answers that are errors or malformed becoming ControlPlaneErrors (a failed call, never a crash or a bad lease).
import type { LeaseRequest, LeaseResponse } from '@gw/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlPlaneClient, ControlPlaneError } from '../control-plane-client.ts';
import { type FakeControlPlane, startFakeControlPlane } from '../test-support/fake-control-plane.ts';
import { leaseBudgets, leaseResponseProblem } from './lease-client.ts';

const request: LeaseRequest = {
  nodeId: 'dp-1',
  bootId: '6f1c2a90-1111-4222-8333-944445555666',
  asks: [{ limitId: 'lim-1', period: 'monthly', periodStart: null, want: 500, need: 100, returned: 0 }],
};

const answer: LeaseResponse = {
  ttlMs: 30_000,
  dataPlanes: 2,
  grants: [
    {
      limitId: 'lim-1',
      period: 'monthly',
      periodStart: '2026-01-01T00:00:00.000Z',
      resetsAt: '2026-02-01T00:00:00.000Z',
      granted: 500,
      limit: 10_000,
      spent: 20,
      available: 9480,
      costFactorPpm: 1_000_000,
    },
  ],
  gone: [{ limitId: 'lim-0', period: 'daily' }],
};

let cp: FakeControlPlane | null = null;
let client: ControlPlaneClient | null = null;
afterEach(async () => {
  await client?.close();
  await cp?.close();
  cp = null;
  client = null;
});

async function connect(reply: (request: unknown) => { data?: unknown; errors?: unknown[] }) {
  cp = await startFakeControlPlane({ token: 'dp-token', leaseBudgets: reply });
  client = new ControlPlaneClient({ url: cp.httpUrl, token: 'dp-token' });
  return leaseBudgets(client);
}

describe('leaseBudgets', () => {
  it('sends the request as the mutation variable with the data-plane token, and returns the answer', async () => {
    const lease = await connect(() => ({ data: { leaseBudgets: answer } }));
    expect(await lease(request)).toEqual(answer);
    const [post] = cp!.posts;
    expect(post.authorization).toBe('Bearer dp-token');
    expect(post.query).toBe('mutation ($r: JSON!) { leaseBudgets(request: $r) }');
    expect(post.variables).toEqual({ r: request });
  });

  it('fails with the codes of a GraphQL error', async () => {
    const lease = await connect(() => ({ errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] }));
    const err = await lease(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlPlaneError);
    expect((err as ControlPlaneError).codes).toEqual(['BAD_USER_INPUT']);
  });

  it('fails on a malformed answer rather than trusting it', async () => {
    const lease = await connect(() => ({ data: { leaseBudgets: { ...answer, ttlMs: 'soon' } } }));
    await expect(lease(request)).rejects.toThrow('malformed lease answer: ttlMs');
  });
});

describe('leaseResponseProblem', () => {
  const grant = answer.grants[0];
  it.each([
    ['a good answer', answer, null],
    ['not an object', 'x', 'not an object'],
    ['a zero ttl', { ...answer, ttlMs: 0 }, 'ttlMs'],
    ['no grants', { ...answer, grants: null }, 'grants'],
    ['an unknown period', { ...answer, grants: [{ ...grant, period: 'hourly' }] }, 'grants[0].period'],
    ['a bad reset', { ...answer, grants: [{ ...grant, resetsAt: 'never' }] }, 'grants[0].resetsAt'],
    ['a fractional grant', { ...answer, grants: [{ ...grant, granted: 1.5 }] }, 'grants[0].granted'],
    ['a negative available', { ...answer, grants: [{ ...grant, available: -1 }] }, 'grants[0].available'],
    ['a gone entry without a period', { ...answer, gone: [{ limitId: 'x' }] }, 'gone[0].period'],
  ])('%s', (_name, value, problem) => {
    expect(leaseResponseProblem(value)).toBe(problem);
  });
});
