// The GraphQL enums of budget scopes and periods (values: the contract's lowercase strings, schema/src/contract/limits.ts).
import { registerEnumType } from 'type-graphql';

export enum LimitScope {
  ORG = 'org',
  TEAM = 'team',
  USER = 'user',
  KEY = 'key',
  MODULE = 'module',
}

export enum BudgetPeriod {
  DAILY = 'daily',
  WEEKLY = 'weekly',
  MONTHLY = 'monthly',
  TOTAL = 'total',
}

registerEnumType(LimitScope, { name: 'LimitScope' });
registerEnumType(BudgetPeriod, { name: 'BudgetPeriod' });
