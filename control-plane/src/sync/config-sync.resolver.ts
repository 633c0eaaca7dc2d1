// GraphQL entry points of config sync: the configSync subscription (data planes) and configState (admins).
import type { SyncMessage } from '@gw/schema';
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../context.ts';
import { currentConfigVersion } from '../db/config-change.ts';
import { badInput } from '../errors.ts';
import { JSONScalar } from '../graphql/scalars.ts';

@ObjectType('ConfigState')
export class ConfigState {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { description: 'SHA-256 of the canonical snapshot at this version.' })
  hash!: string;
}

@Resolver()
export class ConfigSyncResolver {
  @Subscription(() => JSONScalar, {
    description: 'Data planes only. Yields contract SyncMessages: a full snapshot first, then deltas.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const nodeId = String(args.nodeId ?? '');
      if (!nodeId || nodeId.length > 128) throw badInput('nodeId', 'nodeId must be 1-128 characters');
      return ctx.deps.publisher.subscribe(nodeId);
    },
  })
  configSync(
    @Root() message: SyncMessage,
    @Arg('nodeId', () => String) _nodeId: string,
    @Arg('appliedVersion', () => Int, {
      nullable: true,
      description: 'Informational: the first message is always a full snapshot.',
    })
    _appliedVersion: number | null,
  ): SyncMessage {
    return message;
  }

  @Query(() => ConfigState, { description: 'The config version data planes should have applied (platform admins).' })
  async configState(@Ctx() ctx: Context): Promise<ConfigState> {
    const publisher = ctx.deps.publisher;
    const version = await currentConfigVersion(ctx.em);
    // The publisher may lag a notification behind the database; catch up before answering.
    if (publisher.current()?.version !== version) await publisher.refresh();
    const current = publisher.current();
    if (!current) throw new Error('no valid snapshot has been built yet');
    return Object.assign(new ConfigState(), { version: current.version, hash: current.hash });
  }
}
