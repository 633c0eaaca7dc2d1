// Where a limited scope's own page is in the org panel (modules have none of their own: the modules list).
import type { RouteLocationRaw } from 'vue-router';
import type { LimitScope } from '../../../graphql/generated/graphql';

export function scopeLink(orgId: string, scope: LimitScope, scopeId: string): RouteLocationRaw {
  switch (scope) {
    case 'ORG':
      return { name: 'org-overview', params: { orgId } };
    case 'TEAM':
      return { name: 'org-team', params: { orgId, teamId: scopeId } };
    case 'USER':
      return { name: 'org-user', params: { orgId, userId: scopeId } };
    case 'KEY':
      return { name: 'org-key', params: { orgId, keyId: scopeId } };
    case 'MODULE':
      return { name: 'org-modules', params: { orgId } };
  }
}
