// GraphQL entry points for data-plane node status.
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requirePlatform } from '../../access/guards.ts';
import type { Context } from '../../context.ts';
import { JSONScalar } from '../../graphql/scalars.ts';
import { NodeService } from './node.service.ts';
import { DataPlaneNode } from './node.type.ts';

@Resolver(() => DataPlaneNode)
export class NodeResolver {
  @Authorized('data-plane')
  @Mutation(() => Boolean, { description: 'Data planes only. `input` is a contract NodeStatusReport.' })
  async reportNodeStatus(@Arg('input', () => JSONScalar) input: unknown, @Ctx() ctx: Context): Promise<boolean> {
    await new NodeService(ctx.em).report(input);
    return true;
  }

  @Query(() => [DataPlaneNode], {
    description: 'The data-plane fleet (platform admins): bounded by the number of nodes.',
  })
  dataPlaneNodes(@Ctx() ctx: Context): Promise<DataPlaneNode[]> {
    requirePlatform(ctx, 'read');
    return new NodeService(ctx.em).list();
  }
}
