// GraphQL shape of a data-plane node as last reported by it.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';

export type SyncState = 'IN_SYNC' | 'LAGGING' | 'REJECTING' | 'REFUSED' | 'OFFLINE';
const SyncStates = {
  IN_SYNC: 'IN_SYNC',
  LAGGING: 'LAGGING',
  REJECTING: 'REJECTING',
  REFUSED: 'REFUSED',
  OFFLINE: 'OFFLINE',
} as const;
registerEnumType(SyncStates, {
  name: 'SyncState',
  description: 'Where a data plane stands with the config (PROTOCOL.md, "Sync states").',
  valuesConfig: {
    IN_SYNC: { description: 'Serves the current config version.' },
    LAGGING: { description: 'Serves an older version and has not rejected anything (catching up).' },
    REJECTING: { description: 'Rejected the last message it got (see lastRejected) and keeps an older config.' },
    REFUSED: { description: 'Its subscription was refused (see refusedReason): it speaks another sync protocol.' },
    OFFLINE: { description: 'No status report for over 30 seconds.' },
  },
});

@ObjectType('RejectedSync', { description: 'The last sync message a data plane rejected (NACK).' })
export class RejectedSync {
  @Field(() => Int, { nullable: true, description: 'The rejected message version (null when unreadable).' })
  version!: number | null;

  @Field(() => String, { nullable: true })
  hash!: string | null;

  @Field(() => String)
  reason!: string;

  @Field(() => DateTimeScalar)
  at!: Date;
}

@ObjectType('FleetSync', { description: 'How many data planes have caught up with the current config version.' })
export class FleetSync {
  @Field(() => Int)
  configVersion!: number;

  @Field(() => Int, { description: 'Every known node.' })
  nodes!: number;

  @Field(() => Int)
  inSync!: number;

  @Field(() => Int)
  lagging!: number;

  @Field(() => Int)
  rejecting!: number;

  @Field(() => Int)
  refused!: number;

  @Field(() => Int)
  offline!: number;
}

@ObjectType('DataPlaneNode')
export class DataPlaneNode {
  @Field(() => ID)
  nodeId!: string;

  @Field(() => Int, { nullable: true })
  appliedVersion!: number | null;

  @Field(() => String, { nullable: true })
  appliedHash!: string | null;

  @Field(() => String, { nullable: true, description: '`control-plane` or `disk`.' })
  source!: string | null;

  @Field(() => String, { nullable: true, description: 'Software version of the data plane.' })
  version!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeScalar)
  lastSeenAt!: Date;

  @Field(() => Boolean, { description: 'Reported within the last 30 seconds.' })
  connected!: boolean;

  @Field(() => Int, { nullable: true, description: 'Current config version minus the applied one.' })
  lagVersions!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Usage records on the node not yet acknowledged by the control plane (null: not reported).',
  })
  usageBacklog!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Usage records the control plane rejected, kept in the node's dead-letter file (DP_STATE_DIR/usage-dead-letter.jsonl) for an operator to inspect; null: not reported.",
  })
  usageDeadLetterRecords!: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the newest dead letter was written.' })
  usageLastDeadLetterAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Sync protocol the node speaks (null: never stated, i.e. 1).' })
  protocol!: number | null;

  @Field(() => RejectedSync, {
    nullable: true,
    description: 'The last sync message it rejected; null once one applied.',
  })
  lastRejected!: RejectedSync | null;

  @Field(() => String, { nullable: true, description: 'Why its config subscription was refused (protocol mismatch).' })
  refusedReason!: string | null;

  @Field(() => SyncStates)
  syncState!: SyncState;
}

export const DataPlaneNodeConnection = connectionType(DataPlaneNode, 'DataPlaneNode');

@InputType('DataPlaneNodeFilter')
export class DataPlaneNodeFilter {
  @Field(() => Boolean, { nullable: true, description: 'Reported within the last 30 s (true) or not (false).' })
  connected?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Part of the node id, any case.' })
  search?: string | null;
}
