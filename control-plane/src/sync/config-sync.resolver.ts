// GraphQL entry points of config sync: the configSync subscription (data planes) and configState (admins).
import { protocolMismatchCode, syncProtocolVersion } from '@gw/schema';
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../context.ts';
import { currentConfigVersion } from '../db/config-change.ts';
import { AppError, badInput } from '../errors.ts';
import { JSONScalar } from '../graphql/scalars.ts';
import { NodeService } from '../modules/nodes/node.service.ts';
import type { Frame } from './frames.ts';

@ObjectType('ConfigState')
export class ConfigState {
  @Field(() => Int)
  version!: number;

  @Field(() => String, { description: 'Hash v2 (additive set hash, PROTOCOL.md) of the snapshot at this version.' })
  hash!: string;

  @Field(() => SyncSends, { description: 'Counted by the replica that answers (each replica counts its own).' })
  sends!: SyncSends;
}

@ObjectType('SyncSends', { description: 'What this control-plane replica sent its data planes since it started.' })
export class SyncSends {
  @Field(() => Int, { description: 'Full snapshots (each counted once, whatever its number of parts).' })
  fulls!: number;

  @Field(() => Int, { description: 'Deltas pushed on a change.' })
  deltas!: number;

  @Field(() => Int, { description: 'Reconnecting data planes answered with one delta instead of a full snapshot.' })
  resumes!: number;
}

@Resolver()
export class ConfigSyncResolver {
  @Subscription(() => JSONScalar, {
    description:
      'Data planes only (sync protocol 2). Yields contract SyncMessages: one delta resuming from appliedVersion when ' +
      'this replica can (and appliedHash matches), else a full snapshot in parts; then deltas.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const nodeId = String(args.nodeId ?? '');
      if (!nodeId || nodeId.length > 128) throw badInput('nodeId', 'nodeId must be 1-128 characters');
      const protocol = typeof args.protocol === 'number' ? args.protocol : 1;
      const nodes = new NodeService(ctx.em);
      if (protocol !== syncProtocolVersion) {
        const reason =
          `This control plane speaks config sync protocol ${syncProtocolVersion}; data plane ${nodeId} speaks ` +
          `protocol ${protocol}. Upgrade the data plane to a version that speaks protocol ${syncProtocolVersion}.`;
        await nodes.refused(nodeId, protocol, reason);
        ctx.deps.logger.warn({ nodeId, protocol }, 'config sync refused: protocol mismatch');
        throw new AppError(protocolMismatchCode as 'PROTOCOL_MISMATCH', reason, undefined, {
          controlPlaneProtocol: syncProtocolVersion,
          dataPlaneProtocol: protocol,
        });
      }
      await nodes.subscribed(nodeId, protocol);
      const appliedVersion = typeof args.appliedVersion === 'number' ? args.appliedVersion : null;
      const appliedHash = typeof args.appliedHash === 'string' ? args.appliedHash : null;
      return ctx.deps.publisher.subscribe(nodeId, { appliedVersion, appliedHash });
    },
  })
  configSync(
    @Root() frame: Frame,
    @Arg('nodeId', () => String) _nodeId: string,
    @Arg('appliedVersion', () => Int, {
      nullable: true,
      description: 'The version the data plane serves, to resume from (with appliedHash).',
    })
    _appliedVersion: number | null,
    @Arg('appliedHash', () => String, { nullable: true, description: 'The hash of the snapshot it serves.' })
    _appliedHash: string | null,
    @Arg('protocol', () => Int, { nullable: true, description: 'The sync protocol it speaks; absent = 1.' })
    _protocol: number | null,
  ): string {
    // A token the socket replaces with the message's JSON, serialized once for every subscriber (frames.ts).
    return frame.token();
  }

  @Query(() => ConfigState, { description: 'The config version data planes should have applied (platform admins).' })
  async configState(@Ctx() ctx: Context): Promise<ConfigState> {
    const publisher = ctx.deps.publisher;
    const version = await currentConfigVersion(ctx.em);
    // The publisher may lag a notification behind the database; catch up before answering.
    if (publisher.current()?.version !== version) await publisher.refresh();
    const current = publisher.current();
    if (!current) throw new Error('no valid snapshot has been built yet');
    const sent = publisher.counters.snapshot;
    const sends = Object.assign(new SyncSends(), { fulls: sent.full, deltas: sent.delta, resumes: sent.resume });
    return Object.assign(new ConfigState(), { version: current.version, hash: current.hash, sends });
  }
}
