// GraphQL entry points for webhook endpoints: org admins manage their org's, platform admins the platform's and any
// org's, viewers read them (never the secret). The operation table (access/operations.ts) checks the scope first.
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { actorOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { WebhookService } from './webhook.service.ts';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointSecret,
} from './webhook.type.ts';

const service = (ctx: Context) => new WebhookService(ctx.em, ctx.deps.secretBox, ctx.deps.config.webhookAllowInternal);

const withSecret = ({ record, secret }: Awaited<ReturnType<WebhookService['create']>>) =>
  Object.assign(new WebhookEndpointSecret(), { endpoint: WebhookEndpoint.from(record), secret });

@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookEndpoint], {
    description: "With orgId: that org's endpoints. Without: the platform's, which receive every org's alerts.",
  })
  async webhookEndpoints(
    @Arg('orgId', () => ID, { nullable: true }) orgId: string | null,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint[]> {
    return (await service(ctx).list(orgId ?? null)).map(WebhookEndpoint.from);
  }

  @Query(() => [WebhookDelivery], { description: 'The endpoint’s most recent deliveries, newest first.' })
  webhookDeliveries(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('limit', () => Int, { defaultValue: 50, description: '1-100.' }) limit: number,
    @Ctx() ctx: Context,
  ): Promise<WebhookDelivery[]> {
    return service(ctx).deliveries(endpointId, limit);
  }

  @Mutation(() => WebhookEndpointSecret, { description: 'The answer carries the signing secret, once.' })
  async createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointSecret> {
    return withSecret(await service(ctx).create(actorOf(ctx), input));
  }

  @Mutation(() => WebhookEndpoint)
  async updateWebhookEndpoint(
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint> {
    return WebhookEndpoint.from(await service(ctx).update(actorOf(ctx), input));
  }

  @Mutation(() => WebhookEndpoint, { description: 'Deletes the endpoint and its delivery history.' })
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookEndpoint> {
    return WebhookEndpoint.from(await service(ctx).delete(actorOf(ctx), id));
  }

  @Mutation(() => WebhookEndpointSecret, {
    description: 'A new signing secret, in this answer only; the old one stops signing at once.',
  })
  async rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookEndpointSecret> {
    return withSecret(await service(ctx).rotate(actorOf(ctx), id));
  }
}
