// Organization.modules: the product-modules module adds the org's enablements to the org type, one page per org.
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { Organization } from '../organizations/organization.type.ts';
import { ModuleFilter } from './product-module.input.ts';
import { type OrgModule, OrgModuleConnection } from './product-module.type.ts';

@Resolver(() => Organization)
export class OrganizationModulesResolver {
  @FieldResolver(() => OrgModuleConnection, { description: 'The modules enabled for the org.' })
  modules(
    @Root() org: Organization,
    @Arg('filter', () => ModuleFilter, { nullable: true }) filter: ModuleFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<OrgModule>> {
    return ctx.loaders.modulesOfOrg.load({ parentId: org.id, filter, page });
  }
}
