// Per-org model availability in GraphQL: Organization.modelAccess (the org's admins and viewers may read it) and
// setOrgModelAccess (platform admins only).
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { Organization } from '../organizations/organization.type.ts';
import { SetOrgModelAccessInput } from './model.input.ts';
import { Model, OrgModelAccess } from './model.type.ts';
import { OrgModelAccessService } from './org-model-access.service.ts';

async function accessOf(ctx: Context, orgId: string): Promise<OrgModelAccess> {
  const ids = await ctx.loaders.allowedModelIdsByOrg.load(orgId);
  return Object.assign(new OrgModelAccess(), { orgId, allModels: ids === null, allowedModelIds: ids });
}

@Resolver(() => Organization)
export class OrganizationModelAccessResolver {
  @FieldResolver(() => OrgModelAccess, { description: 'Which models this organization may use.' })
  modelAccess(@Root() org: Organization, @Ctx() ctx: Context): Promise<OrgModelAccess> {
    return accessOf(ctx, org.id);
  }
}

@Resolver(() => OrgModelAccess)
export class OrgModelAccessResolver {
  @FieldResolver(() => [Model], { description: 'The models the org may use now, by name (every model if allModels).' })
  async models(@Root() access: OrgModelAccess, @Ctx() ctx: Context): Promise<Model[]> {
    const all = await ctx.loaders.catalogue();
    const allowed = access.allowedModelIds ? new Set(access.allowedModelIds) : null;
    return all.filter((m) => !allowed || allowed.has(m.id)).map(Model.from);
  }

  @Mutation(() => OrgModelAccess, {
    description:
      'Every model (allModels: true) or only the named ones. Data planes refuse other models with ' +
      'policy_model_not_allowed within a second. Platform admins only.',
  })
  async setOrgModelAccess(
    @Arg('input', () => SetOrgModelAccessInput) input: SetOrgModelAccessInput,
    @Ctx() ctx: Context,
  ): Promise<OrgModelAccess> {
    await new OrgModelAccessService(ctx.em).set(actorOf(ctx), input);
    ctx.loaders.allowedModelIdsByOrg.clear(input.orgId);
    return accessOf(ctx, input.orgId);
  }
}
