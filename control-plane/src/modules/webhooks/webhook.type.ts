// GraphQL shapes of webhook endpoints (never their secret, except once in the answer that creates or rotates it),
// their inputs, and their delivery attempts.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { WebhookEndpointRecord } from './webhook-endpoint.entity.ts';

@ObjectType('WebhookEndpoint')
export class WebhookEndpoint {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: "null: the platform's endpoint, which receives every org's alerts." })
  orgId!: string | null;

  @Field(() => String)
  url!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Boolean, { description: 'Disabled endpoints are sent nothing; pending deliveries to them fail.' })
  enabled!: boolean;

  @Field(() => String, { description: 'The start and last characters of the signing secret, to recognise it.' })
  secretHint!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  secretRotatedAt!: Date | null;

  static from(r: WebhookEndpointRecord): WebhookEndpoint {
    return Object.assign(new WebhookEndpoint(), {
      id: r.id,
      orgId: r.orgId ?? null,
      url: r.url,
      description: r.description ?? null,
      enabled: r.enabled,
      secretHint: r.secretHint,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      secretRotatedAt: r.secretRotatedAt ?? null,
    });
  }
}

@ObjectType('WebhookEndpointSecret')
export class WebhookEndpointSecret {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field(() => String, {
    description: 'The signing secret (`whsec_…`). Shown only in this answer; store it now (docs/webhooks.md).',
  })
  secret!: string;
}

@InputType('CreateWebhookEndpointInput')
export class CreateWebhookEndpointInput {
  @Field(() => ID, {
    nullable: true,
    description: "The org whose alerts it receives; null: the platform's (all orgs).",
  })
  orgId?: string | null;

  @Field(() => String, { description: 'An http(s) URL without credentials.' })
  url!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('UpdateWebhookEndpointInput')
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'An empty string clears it.' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}

export enum WebhookDeliveryStatus {
  PENDING = 'pending',
  DELIVERED = 'delivered',
  FAILED = 'failed',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  valuesConfig: {
    PENDING: { description: 'Not sent yet, or to be retried at nextAttemptAt.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Given up: every attempt failed, or the endpoint was disabled.' },
  },
});

@ObjectType('WebhookDelivery')
export class WebhookDelivery {
  @Field(() => ID, { description: 'Sent as x-gateway-webhook-id; the same on every attempt (receivers dedupe by it).' })
  id!: string;

  @Field(() => ID)
  endpointId!: string;

  @Field(() => ID)
  alertId!: string;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attempt!: number;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt; null if it got no answer.' })
  lastStatus!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  lastError!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it is tried next (pending only).' })
  nextAttemptAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}
