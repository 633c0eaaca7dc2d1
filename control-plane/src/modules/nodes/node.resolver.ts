// GraphQL entry points for data-plane node status.
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { JSONScalar } from '../../graphql/scalars.ts';
import { NodeService } from './node.service.ts';
import { DataPlaneNode, DataPlaneNodeConnection, DataPlaneNodeFilter, FleetSync } from './node.type.ts';

@Resolver(() => DataPlaneNode)
export class NodeResolver {
  @Mutation(() => Boolean, { description: 'Data planes only. `input` is a contract NodeStatusReport.' })
  async reportNodeStatus(@Arg('input', () => JSONScalar) input: unknown, @Ctx() ctx: Context): Promise<boolean> {
    await new NodeService(ctx.em).report(input);
    return true;
  }

  @Query(() => DataPlaneNodeConnection, { description: 'The data-plane fleet by node id (platform admins).' })
  dataPlaneNodes(
    @Arg('filter', () => DataPlaneNodeFilter, { nullable: true }) filter: DataPlaneNodeFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<DataPlaneNode>> {
    return new NodeService(ctx.em).list(filter, page);
  }

  @Query(() => FleetSync, {
    description: 'How many data planes have not yet caught up with the current config version (platform admins).',
  })
  fleetSync(@Ctx() ctx: Context): Promise<FleetSync> {
    return new NodeService(ctx.em).fleetSync();
  }
}
