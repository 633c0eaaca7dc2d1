// GraphQL entry points for integrator API tokens, within the caller's scope and never above the caller's role.
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { type ConnectionShape, connectionType, PageArgs } from '../../graphql/connection.ts';
import { ApiTokenService } from './api-token.service.ts';
import { ApiToken, ApiTokenFilter, CreateApiTokenInput, CreateApiTokenPayload } from './api-token.type.ts';

const ApiTokenConnection = connectionType(ApiToken, 'ApiToken');

@Resolver()
export class ApiTokenResolver {
  @Query(() => ApiTokenConnection, {
    description: 'With orgId: that org’s tokens. Without: platform-scoped tokens (platform admins only).',
  })
  apiTokens(
    @Arg('orgId', () => ID, { nullable: true }) orgId: string | null,
    @Arg('filter', () => ApiTokenFilter, { nullable: true }) filter: ApiTokenFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<ApiToken>> {
    return new ApiTokenService(ctx.em).list(orgId ?? null, filter, page);
  }

  @Mutation(() => CreateApiTokenPayload)
  async createApiToken(
    @Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput,
    @Ctx() ctx: Context,
  ): Promise<CreateApiTokenPayload> {
    const caller = adminOf(ctx);
    const { record, token } = await new ApiTokenService(ctx.em).create(caller.principal, input, {
      adminId: caller.holderId,
      notAfter: caller.principal.kind === 'api_token' ? caller.expiresAt : null,
    });
    return Object.assign(new CreateApiTokenPayload(), { apiToken: ApiToken.from(record), token });
  }

  @Mutation(() => ApiToken, { description: 'Takes effect on the next request; idempotent.' })
  async revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ApiToken> {
    const service = new ApiTokenService(ctx.em);
    const token = await service.find(id);
    if (!token) throw notFound('id', `API token ${id} does not exist`);
    return ApiToken.from(await service.revoke(actorOf(ctx), token));
  }
}
