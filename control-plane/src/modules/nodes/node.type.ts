// GraphQL shape of a data-plane node as last reported by it.
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';

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
}

export const DataPlaneNodeConnection = connectionType(DataPlaneNode, 'DataPlaneNode');

@InputType('DataPlaneNodeFilter')
export class DataPlaneNodeFilter {
  @Field(() => Boolean, { nullable: true, description: 'Reported within the last 30 s (true) or not (false).' })
  connected?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Part of the node id, any case.' })
  search?: string | null;
}
