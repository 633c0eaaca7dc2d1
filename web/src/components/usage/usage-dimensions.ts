// What usage can be broken down by: labels, the "no value" wording, which field of a point or filter holds each
// dimension, and which dimensions each dashboard offers (ORG only platform-wide).
import type { UsageDimension, UsageFilter, UsageMetric } from '../../graphql/generated/graphql';
import type { Panel } from '../../navigation';

export const dimensionLabels: Record<UsageDimension, string> = {
  ORG: 'Organization',
  TEAM: 'Team',
  USER: 'User',
  KEY: 'Key',
  MODULE: 'Module',
  MODEL: 'Model',
  PROVIDER: 'Provider',
};

/** How a row without a value reads, e.g. requests of keys that have no team when grouped by team. */
export const noValueLabels: Record<UsageDimension, string> = {
  ORG: 'No organization',
  TEAM: 'No team',
  USER: 'No user',
  KEY: 'No key',
  MODULE: 'No module',
  MODEL: 'No model',
  PROVIDER: 'No provider',
};

export const metricLabels: Record<UsageMetric, string> = { COST: 'Cost', REQUESTS: 'Requests', TOKENS: 'Tokens' };

/** The group-by choices of a dashboard, most useful first. */
export function dimensionsFor(panel: Panel): UsageDimension[] {
  const own: UsageDimension[] = ['TEAM', 'USER', 'KEY', 'MODEL', 'MODULE', 'PROVIDER'];
  return panel === 'platform' ? ['ORG', ...own] : own;
}

/** The fields of a usage point, one per dimension (null when not grouped by it, or when the records had none). */
export interface PointDimensions {
  orgId: string | null;
  teamId: string | null;
  userId: string | null;
  keyId: string | null;
  moduleId: string | null;
  model: string | null;
  provider: string | null;
}

const pointFields: Record<UsageDimension, keyof PointDimensions> = {
  ORG: 'orgId',
  TEAM: 'teamId',
  USER: 'userId',
  KEY: 'keyId',
  MODULE: 'moduleId',
  MODEL: 'model',
  PROVIDER: 'provider',
};

export function pointValue(point: PointDimensions, dimension: UsageDimension): string | null {
  return point[pointFields[dimension]];
}

const filterFields: Record<UsageDimension, keyof UsageFilter> = {
  ORG: 'orgIds',
  TEAM: 'teamIds',
  USER: 'userIds',
  KEY: 'keyIds',
  MODULE: 'moduleIds',
  MODEL: 'models',
  PROVIDER: 'providers',
};

/** `base` narrowed to these values of one dimension (they replace any list the base had for it). */
export function filterWith(base: UsageFilter | null, dimension: UsageDimension, values: string[]): UsageFilter {
  return { ...(base ?? {}), [filterFields[dimension]]: values };
}

/** Ids name things (looked up); models and providers are their own names. */
export const isNamedById = (dimension: UsageDimension): boolean => dimension !== 'MODEL' && dimension !== 'PROVIDER';
