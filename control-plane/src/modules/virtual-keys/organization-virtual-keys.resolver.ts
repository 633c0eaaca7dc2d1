// Organization.virtualKeys: the virtual-keys module adds its list to the org type, loaded one page per org of a level.
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { Organization } from '../organizations/organization.type.ts';
import { VirtualKeyFilter } from './virtual-key.input.ts';
import { type VirtualKey, VirtualKeyConnection } from './virtual-key.type.ts';

@Resolver(() => Organization)
export class OrganizationVirtualKeysResolver {
  @FieldResolver(() => VirtualKeyConnection)
  virtualKeys(
    @Root() org: Organization,
    @Arg('filter', () => VirtualKeyFilter, { nullable: true }) filter: VirtualKeyFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<VirtualKey>> {
    return ctx.loaders.keysOfOrg.load({ parentId: org.id, filter, page });
  }
}
