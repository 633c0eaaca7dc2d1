// The webhooks module: org and platform webhook endpoints, and their deliveries (the worker is started by app.ts).
import { defineModule } from '../module.ts';
import { WebhookResolver } from './webhook.resolver.ts';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.ts';

export const webhooksModule = defineModule({
  name: 'webhooks',
  entities: [WebhookEndpointEntity],
  resolvers: [WebhookResolver],
});
