// One measured revoke: the mutation through GraphQL while a client asks the data plane with that key as fast as it
// can, until the data plane refuses it. Black-box: works the same whatever the sync protocol between the planes.
import { Pool } from 'undici';
import { now } from './probes.ts';
import type { Revoke } from './report.ts';

export interface Poller {
  /** Status and error code of one GET /v1/models with `secret`. */
  ask(secret: string): Promise<{ status: number; code: string | null }>;
  close(): Promise<void>;
}

export function poller(dataPlaneUrl: string): Poller {
  const pool = new Pool(new URL(dataPlaneUrl).origin, { connections: 1, pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    ask: async (secret) => {
      const res = await pool.request({
        method: 'GET',
        path: '/v1/models',
        headers: { authorization: `Bearer ${secret}` },
      });
      const text = await res.body.text();
      let code: string | null = null;
      if (res.statusCode >= 400) {
        try {
          code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
        } catch {
          code = null;
        }
      }
      return { status: res.statusCode, code };
    },
    close: () => pool.close(),
  };
}

const refused = (status: number) => status === 401 || status === 403;

/** revokeVirtualKey as a platform admin; a slow control plane gets two minutes (the harness client allows 15 s). */
async function revoke(graphqlUrl: string, adminToken: string, keyId: string): Promise<void> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({
      query: 'mutation ($id: ID!) { revokeVirtualKey(id: $id) { id } }',
      variables: { id: keyId },
    }),
    signal: AbortSignal.timeout(120_000),
  });
  const body = (await res.json()) as { errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`HTTP ${res.status}: ${body.errors.map((e) => e.message).join('; ')}`);
}

export interface Admin {
  graphqlUrl: string;
  token: string;
}

/**
 * Revokes key `keyId` (whose secret is `secret`) as a platform admin and polls the data plane until it refuses the
 * key, or `timeoutMs` passed. A failed mutation is recorded, not thrown: the key may be refused all the same (the
 * control plane may have committed before the answer was lost). Throws when the key is not accepted beforehand (the
 * measurement would mean nothing).
 */
export async function measureRevoke(
  admin: Admin,
  dp: Poller,
  keyId: string,
  secret: string,
  timeoutMs: number,
): Promise<Revoke> {
  const before = await dp.ask(secret);
  if (before.status !== 200) {
    throw new Error(`key ${keyId} is not accepted before its revoke: HTTP ${before.status} ${before.code}`);
  }
  const sentAt = now();
  let mutationMs = Number.NaN;
  let error: string | null = null;
  const mutation = revoke(admin.graphqlUrl, admin.token, keyId).then(
    () => {
      mutationMs = now() - sentAt;
    },
    (e: unknown) => {
      mutationMs = now() - sentAt;
      error = e instanceof Error ? e.message : String(e);
    },
  );
  for (;;) {
    const r = await dp.ask(secret);
    const at = now();
    if (refused(r.status)) {
      await mutation;
      return { keyId, propagationMs: at - sentAt, mutationMs, refusal: `${r.status} ${r.code}`, error };
    }
    if (at - sentAt > timeoutMs) {
      await mutation;
      return { keyId, propagationMs: null, mutationMs, refusal: null, error };
    }
  }
}
