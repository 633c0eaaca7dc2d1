// The alerts module: budget alerts (raised by usage ingestion), their list and their live subscription.
import { defineModule } from '../module.ts';
import { AlertResolver } from './alert.resolver.ts';

export const alertsModule = defineModule({ name: 'alerts', resolvers: [AlertResolver] });
