// The limits module: budgets and rate limits per scope, their status, the lease call data planes hold budget
// slices with, the budget basis, and the limits fields of orgs, teams, users and keys.
import { defineModule } from '../module.ts';
import { limitLoaders } from './limit-loaders.ts';
import { LimitsResolver } from './limits.resolver.ts';
import {
  OrganizationLimitsResolver,
  TeamLimitsResolver,
  UserLimitsResolver,
  VirtualKeyLimitsResolver,
} from './scope-limits-fields.resolver.ts';

export const limitsModule = defineModule({
  name: 'limits',
  resolvers: [
    LimitsResolver,
    OrganizationLimitsResolver,
    TeamLimitsResolver,
    UserLimitsResolver,
    VirtualKeyLimitsResolver,
  ],
  loaders: limitLoaders,
});
