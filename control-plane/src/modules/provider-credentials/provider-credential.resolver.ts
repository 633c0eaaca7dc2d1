// GraphQL entry points for provider credentials: platform admins only, for reads as well as writes.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import {
  CreateProviderCredentialInput,
  ProviderCredentialFilter,
  RotateProviderCredentialInput,
  UpdateProviderCredentialInput,
} from './provider-credential.input.ts';
import { ProviderCredentialService } from './provider-credential.service.ts';
import { ProviderCredential, ProviderCredentialConnection } from './provider-credential.type.ts';

function service(ctx: Context): ProviderCredentialService {
  return new ProviderCredentialService(ctx.em, ctx.deps.secretBox);
}

@Resolver(() => ProviderCredential)
export class ProviderCredentialResolver {
  @Query(() => ProviderCredentialConnection, { description: 'Oldest first. Platform admins only.' })
  providerCredentials(
    @Arg('filter', () => ProviderCredentialFilter, { nullable: true }) filter: ProviderCredentialFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<ProviderCredential>> {
    return service(ctx).list(filter, page);
  }

  @Query(() => ProviderCredential, { nullable: true, description: 'null when it does not exist.' })
  async providerCredential(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ProviderCredential | null> {
    const found = await service(ctx).find(id);
    return found ? ProviderCredential.from(found) : null;
  }

  @FieldResolver(() => [String], { description: 'Names of the models with a deployment on this credential.' })
  usedByModels(@Root() credential: ProviderCredential, @Ctx() ctx: Context): Promise<string[]> {
    return ctx.loaders.modelNamesByCredential.load(credential.id);
  }

  @Mutation(() => ProviderCredential)
  async createProviderCredential(
    @Arg('input', () => CreateProviderCredentialInput) input: CreateProviderCredentialInput,
    @Ctx() ctx: Context,
  ): Promise<ProviderCredential> {
    return ProviderCredential.from(await service(ctx).create(actorOf(ctx), input));
  }

  @Mutation(() => ProviderCredential, { description: 'Renames it or points it at another base URL.' })
  async updateProviderCredential(
    @Arg('input', () => UpdateProviderCredentialInput) input: UpdateProviderCredentialInput,
    @Ctx() ctx: Context,
  ): Promise<ProviderCredential> {
    return ProviderCredential.from(await service(ctx).update(actorOf(ctx), input));
  }

  @Mutation(() => ProviderCredential, {
    description: 'Replaces the API key (new secretHint); data planes use the new key within a second.',
  })
  async rotateProviderCredential(
    @Arg('input', () => RotateProviderCredentialInput) input: RotateProviderCredentialInput,
    @Ctx() ctx: Context,
  ): Promise<ProviderCredential> {
    return ProviderCredential.from(await service(ctx).rotate(actorOf(ctx), input));
  }

  @Mutation(() => ProviderCredential, {
    description: 'Returns the deleted credential. CONFLICT while a model deployment uses it (the message names them).',
  })
  async deleteProviderCredential(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ProviderCredential> {
    return ProviderCredential.from(await service(ctx).delete(actorOf(ctx), id));
  }
}
