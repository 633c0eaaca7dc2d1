// The api-tokens module: long-lived API tokens for automation (table and resolvers).
import { defineModule } from '../module.ts';
import { ApiTokenEntity } from './api-token.entity.ts';
import { ApiTokenResolver } from './api-token.resolver.ts';

export const apiTokensModule = defineModule({
  name: 'api-tokens',
  entities: [ApiTokenEntity],
  resolvers: [ApiTokenResolver],
});
