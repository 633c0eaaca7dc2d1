// Per-request loaders of provider credentials: one query for every credential a level of the response names.
import type { Em } from '../../db/orm.ts';
import { byId } from '../../graphql/loaders.ts';
import { ProviderCredentialEntity, type ProviderCredentialRecord } from './provider-credential.entity.ts';

export function providerCredentialLoaders(em: Em) {
  return {
    credentialById: byId<ProviderCredentialRecord>((ids) => em.find(ProviderCredentialEntity, { id: { $in: ids } })),
  };
}
