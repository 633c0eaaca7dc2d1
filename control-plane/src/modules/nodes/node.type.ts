// GraphQL shape of a data-plane node as last reported by it.
import { Field, ID, Int, ObjectType } from 'type-graphql';
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
}
