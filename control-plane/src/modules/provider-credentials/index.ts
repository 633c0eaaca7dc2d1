// The provider-credentials module: upstream provider credentials (table, resolvers) and credentials by id.
import { defineModule } from '../module.ts';
import { ProviderCredentialEntity } from './provider-credential.entity.ts';
import { ProviderCredentialResolver } from './provider-credential.resolver.ts';
import { providerCredentialLoaders } from './provider-credential-loaders.ts';

export const providerCredentialsModule = defineModule({
  name: 'provider-credentials',
  entities: [ProviderCredentialEntity],
  resolvers: [ProviderCredentialResolver],
  loaders: providerCredentialLoaders,
});
