// GraphQL shape of an audit event, its filter, and its connection.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars.ts';

@ObjectType('AuditActor')
export class AuditActor {
  @Field(() => String, { description: 'admin_user, api_token or static_token.' })
  kind!: string;

  @Field(() => ID, { nullable: true })
  id!: string | null;

  @Field(() => String, { description: 'An email, an API token name, or ADMIN_TOKEN.' })
  label!: string;
}

@ObjectType('AuditEvent')
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => AuditActor)
  actor!: AuditActor;

  @Field(() => ID, { nullable: true, description: 'null for platform-wide changes.' })
  orgId!: string | null;

  @Field(() => String, { description: '`<target>.<verb>`, e.g. virtualKey.revoke.' })
  action!: string;

  @Field(() => String)
  targetType!: string;

  @Field(() => ID, { nullable: true })
  targetId!: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'State before the change; secrets masked.' })
  before!: unknown;

  @Field(() => JSONScalar, { nullable: true, description: 'State after the change; secrets masked.' })
  after!: unknown;
}

export const AuditEventConnection = connectionType(AuditEvent, 'AuditEvent');

@InputType('AuditEventFilter')
export class AuditEventFilter {
  @Field(() => String, { nullable: true, description: 'Exact action, e.g. virtualKey.revoke.' })
  action?: string | null;

  @Field(() => String, { nullable: true })
  targetType?: string | null;

  @Field(() => ID, { nullable: true })
  targetId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Events of this admin user or API token.' })
  actorId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'At or after this time.' })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Before this time.' })
  to?: Date | null;
}
