// GraphQL entry points for provider credentials.
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.ts';
import { CreateProviderCredentialInput } from './provider-credential.input.ts';
import { ProviderCredentialService } from './provider-credential.service.ts';
import { ProviderCredential } from './provider-credential.type.ts';

@Resolver(() => ProviderCredential)
export class ProviderCredentialResolver {
  @Authorized('admin')
  @Query(() => [ProviderCredential])
  async providerCredentials(@Ctx() ctx: Context): Promise<ProviderCredential[]> {
    const rows = await new ProviderCredentialService(ctx.em, ctx.deps.secretBox).list();
    return rows.map(ProviderCredential.from);
  }

  @Authorized('admin')
  @Mutation(() => ProviderCredential)
  async createProviderCredential(
    @Arg('input', () => CreateProviderCredentialInput) input: CreateProviderCredentialInput,
    @Ctx() ctx: Context,
  ): Promise<ProviderCredential> {
    return ProviderCredential.from(await new ProviderCredentialService(ctx.em, ctx.deps.secretBox).create(input));
  }
}
