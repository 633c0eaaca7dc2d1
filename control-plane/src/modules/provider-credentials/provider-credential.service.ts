// Provider credential rules: unique name, valid http(s) base URL, API key sealed with the master key before storage.
import type { ProviderKind } from '@gw/schema';
import { type SecretBox, secretHint } from '../../crypto/secret-box.ts';
import { inConfigChange } from '../../db/config-change.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import { isUuid, requireText } from '../../graphql/validate.ts';
import { ProviderCredentialEntity, type ProviderCredentialRecord } from './provider-credential.entity.ts';

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

export class ProviderCredentialService {
  readonly #em: Em;
  readonly #box: SecretBox;

  constructor(em: Em, box: SecretBox) {
    this.#em = em;
    this.#box = box;
  }

  list(): Promise<ProviderCredentialRecord[]> {
    return this.#em.find(ProviderCredentialEntity, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async require(id: string, field: string): Promise<ProviderCredentialRecord> {
    const found = isUuid(id) ? await this.#em.findOne(ProviderCredentialEntity, { id }) : null;
    if (!found) throw notFound(field, `Provider credential ${id} does not exist`);
    return found;
  }

  async create(input: { name: string; provider: ProviderKind; baseUrl: string; apiKey: string }) {
    const name = requireText('input.name', input.name);
    const baseUrl = validateBaseUrl('input.baseUrl', input.baseUrl);
    const apiKey = input.apiKey.trim();
    if (!apiKey) throw badInput('input.apiKey', 'apiKey must not be empty');
    if (apiKey.length > 4096) throw badInput('input.apiKey', 'apiKey must be at most 4096 characters');
    const sealed = this.#box.seal(apiKey);
    return inConfigChange(this.#em, async (em): Promise<ProviderCredentialRecord> => {
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
      });
    });
  }
}
