// Provider credential rules: unique name, valid http(s) base URL, API key sealed with the master key before storage,
// and no deletion while a model deployment routes through it. Every change is audited in its own transaction.

import type { ProviderKind } from '@gw/schema';
import { ForeignKeyConstraintViolationException, LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import { type SecretBox, secretHint } from '../../crypto/secret-box.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { textLimits } from '../../graphql/input-limits.ts';
import { byCreation, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { isUuid, requireText } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { ProviderCredentialEntity, type ProviderCredentialRecord } from './provider-credential.entity.ts';
import { ProviderCredential } from './provider-credential.type.ts';

export function validateBaseUrl(field: string, value: string): string {
  const v = value.trim();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw badInput(field, 'baseUrl must be an absolute http(s) URL, e.g. https://api.openai.com/v1');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(field, 'baseUrl must use http or https');
  // Credentials in the URL would be stored and shown in clear; they belong in apiKey.
  if (url.username || url.password) throw badInput(field, 'baseUrl must not contain a username or password');
  if (url.search || url.hash) throw badInput(field, 'baseUrl must not contain a query string or fragment');
  return v;
}

/** The key as it will be sent in an Authorization header: trimmed, non-empty, no inner whitespace. */
export function validateApiKey(field: string, value: string): string {
  const apiKey = value.trim();
  if (!apiKey) throw badInput(field, 'apiKey must not be empty');
  if (apiKey.length > textLimits.secret) {
    throw badInput(field, `apiKey must be at most ${textLimits.secret} characters`);
  }
  if (/[\s\p{Cc}]/u.test(apiKey)) throw badInput(field, 'apiKey must not contain whitespace or control characters');
  return apiKey;
}

/** Escapes LIKE wildcards so a filter matches the text literally. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** What the audit log keeps of a credential: never the sealed key, only its hint. */
function auditView(c: ProviderCredentialRecord) {
  return { name: c.name, provider: c.provider, baseUrl: c.baseUrl, hint: c.secretHint };
}

const credentialTarget = (c: ProviderCredentialRecord) => ({ type: 'providerCredential', id: c.id, orgId: null });

export interface CredentialFilter {
  provider?: ProviderKind | null;
  nameContains?: string | null;
}

export class ProviderCredentialService {
  readonly #em: Em;
  readonly #box: SecretBox;

  constructor(em: Em, box: SecretBox) {
    this.#em = em;
    this.#box = box;
  }

  list(filter: CredentialFilter | null, page: PageArgs): Promise<ConnectionShape<ProviderCredential>> {
    const where: Sql[] = [];
    if (filter?.provider) where.push(sql('c.provider = ?', filter.provider));
    if (filter?.nameContains?.trim()) where.push(sql('c.name ilike ?', likeContains(filter.nameContains.trim())));
    const src = { from: 'provider_credentials c', columns: 'c.*', keys: byCreation('c.created_at', 'c.id'), where };
    return listPage(this.#em, src, page, (row: object) =>
      ProviderCredential.from(this.#em.map(ProviderCredentialEntity, row as never)),
    );
  }

  find(id: string): Promise<ProviderCredentialRecord | null> {
    return isUuid(id) ? this.#em.findOne(ProviderCredentialEntity, { id }) : Promise.resolve(null);
  }

  async require(id: string, field: string): Promise<ProviderCredentialRecord> {
    const found = await this.find(id);
    if (!found) throw notFound(field, `Provider credential ${id} does not exist`);
    return found;
  }

  async create(actor: Principal, input: { name: string; provider: ProviderKind; baseUrl: string; apiKey: string }) {
    const name = requireText('input.name', input.name);
    const baseUrl = validateBaseUrl('input.baseUrl', input.baseUrl);
    const apiKey = validateApiKey('input.apiKey', input.apiKey);
    const sealed = this.#box.seal(apiKey);
    return auditedChange(this.#em, actor, {
      action: 'providerCredential.create',
      mutate: async (em) => {
        if (await em.count(ProviderCredentialEntity, { name })) {
          throw conflict('input.name', `A provider credential named "${name}" already exists`);
        }
        return em.create(ProviderCredentialEntity, {
          name,
          provider: input.provider,
          baseUrl,
          secretCiphertext: sealed.ciphertext,
          secretIv: sealed.iv,
          secretTag: sealed.tag,
          secretHint: secretHint(apiKey),
          rotatedAt: null,
        });
      },
      after: (_, c) => auditView(c),
      target: credentialTarget,
    });
  }

  async update(actor: Principal, input: { id: string; name?: string | null; baseUrl?: string | null }) {
    const name = input.name === null || input.name === undefined ? undefined : requireText('input.name', input.name);
    const baseUrl =
      input.baseUrl === null || input.baseUrl === undefined
        ? undefined
        : validateBaseUrl('input.baseUrl', input.baseUrl);
    return auditedChange(this.#em, actor, {
      action: 'providerCredential.update',
      ...this.#locked(input.id, 'input.id'),
      mutate: async (em, c) => {
        if (name !== undefined && name !== c.name) {
          if (await em.count(ProviderCredentialEntity, { name, id: { $ne: c.id } })) {
            throw conflict('input.name', `A provider credential named "${name}" already exists`);
          }
          c.name = name;
        }
        if (baseUrl !== undefined) c.baseUrl = baseUrl;
        return c;
      },
    });
  }

  /** Replaces the API key; the audit log records the old and new hints, never a key. */
  async rotate(actor: Principal, input: { id: string; apiKey: string }) {
    const apiKey = validateApiKey('input.apiKey', input.apiKey);
    return auditedChange(this.#em, actor, {
      action: 'providerCredential.rotate',
      ...this.#locked(input.id, 'input.id'),
      mutate: async (_, c) => {
        const current = this.#box.open({
          ciphertext: Buffer.from(c.secretCiphertext),
          iv: Buffer.from(c.secretIv),
          tag: Buffer.from(c.secretTag),
        });
        if (current === apiKey) throw badInput('input.apiKey', 'apiKey is the key already stored; rotate to a new one');
        const sealed = this.#box.seal(apiKey);
        c.secretCiphertext = sealed.ciphertext;
        c.secretIv = sealed.iv;
        c.secretTag = sealed.tag;
        c.secretHint = secretHint(apiKey);
        c.rotatedAt = new Date();
        return c;
      },
    });
  }

  /** CONFLICT while any model deployment uses the credential, naming those models. */
  async delete(actor: Principal, id: string): Promise<ProviderCredentialRecord> {
    try {
      return await auditedChange(this.#em, actor, {
        action: 'providerCredential.delete',
        ...this.#locked(id, 'id'),
        mutate: async (em, c) => {
          const users = await em.execute<{ name: string }[]>(
            `select distinct m.name from model_deployments d join models m on m.id = d.model_id
              where d.credential_id = ? order by m.name`,
            [c.id],
          );
          if (users.length)
            throw inUse(
              c.name,
              users.map((u) => u.name),
            );
          em.remove(c);
          return c;
        },
        after: undefined,
      });
    } catch (error) {
      // A deployment added by a concurrent transaction after the check above.
      if (error instanceof ForeignKeyConstraintViolationException) {
        throw conflict('id', 'The provider credential was just put to use by a model deployment; try again');
      }
      throw error;
    }
  }

  /** Lock, before/after views and target of a change to one credential. */
  #locked(id: string, field: string) {
    return {
      lock: (em: Em) => this.#lock(em, id, field),
      before: (_: Em, c: ProviderCredentialRecord) => auditView(c),
      after: (_: Em, c: ProviderCredentialRecord) => auditView(c),
      target: credentialTarget,
    };
  }

  /** Reads the row `for update`, so concurrent writes to one credential apply one after the other. */
  async #lock(em: Em, id: string, field: string): Promise<ProviderCredentialRecord> {
    const found = isUuid(id)
      ? await em.findOne(ProviderCredentialEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE })
      : null;
    if (!found) throw notFound(field, `Provider credential ${id} does not exist`);
    return found;
  }
}

function inUse(name: string, models: string[]) {
  const shown =
    models.length > 10 ? `${models.slice(0, 10).join(', ')} and ${models.length - 10} more` : models.join(', ');
  return conflict(
    'id',
    `Provider credential "${name}" is used by ${models.length === 1 ? 'model' : 'models'} ${shown}; remove those deployments first`,
  );
}
