// The usage module: usage queries, the live usage subscription, and Organization.usage.
import { defineModule } from '../module.ts';
import { OrganizationUsageResolver } from './organization-usage.resolver.ts';
import { UsageResolver } from './usage.resolver.ts';

export const usageModule = defineModule({ name: 'usage', resolvers: [UsageResolver, OrganizationUsageResolver] });
