// Per-request context: who is calling (from the bearer token) and an entity manager forked for this request only.
import { timingSafeEqual } from 'node:crypto';
import type { Config } from './config.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import { sha256Hex } from './crypto/tokens.ts';
import type { Em, Orm } from './db/orm.ts';
import { createLoaders, type Loaders } from './graphql/loaders.ts';
import type { Logger } from './logger.ts';
import { findSessionAdminId } from './modules/admin-auth/session-lookup.ts';
import type { Publisher } from './sync/publisher.ts';

export type Caller =
  | { kind: 'anonymous'; reason: 'missing' | 'invalid' }
  /** adminId is null for the static ADMIN_TOKEN; sessionHash is set for login sessions. */
  | { kind: 'admin'; adminId: string | null; sessionHash: string | null }
  | { kind: 'data-plane' };

/** Long-lived collaborators shared by every request. */
export interface Deps {
  config: Config;
  logger: Logger;
  orm: Orm;
  secretBox: SecretBox;
  publisher: Publisher;
}

export interface Context {
  caller: Caller;
  em: Em;
  loaders: Loaders;
  deps: Deps;
}

export function bearerToken(authorization: string | undefined | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1] : null;
}

/** Compares digests so neither the length nor a prefix of a configured token leaks through timing. */
function sameSecret(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  return timingSafeEqual(Buffer.from(sha256Hex(a), 'hex'), Buffer.from(sha256Hex(b), 'hex'));
}

export async function resolveCaller(authorization: string | undefined | null, deps: Deps, em: Em): Promise<Caller> {
  const token = bearerToken(authorization);
  if (!token) return { kind: 'anonymous', reason: authorization ? 'invalid' : 'missing' };
  if (sameSecret(token, deps.config.dataPlaneToken)) return { kind: 'data-plane' };
  if (sameSecret(token, deps.config.adminToken)) return { kind: 'admin', adminId: null, sessionHash: null };
  const sessionHash = sha256Hex(token);
  const adminId = await findSessionAdminId(em, sessionHash);
  if (adminId) return { kind: 'admin', adminId, sessionHash };
  return { kind: 'anonymous', reason: 'invalid' };
}

export async function createContext(authorization: string | undefined | null, deps: Deps): Promise<Context> {
  const em = deps.orm.em.fork();
  return { caller: await resolveCaller(authorization, deps, em), em, loaders: createLoaders(em), deps };
}
