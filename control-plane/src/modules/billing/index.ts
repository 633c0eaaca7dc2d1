// The billing module: billing settings and exports.
import { defineModule } from '../module.ts';
import { BillingResolver } from './billing.resolver.ts';

export const billingModule = defineModule({ name: 'billing', resolvers: [BillingResolver] });
