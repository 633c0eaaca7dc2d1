// The org whose panel is open: loaded once by OrgPanel.vue and shared with its pages.
import { type ComputedRef, type InjectionKey, inject, provide } from 'vue';
import type { OrganizationSummaryQuery } from '../graphql/generated/graphql';

export type CurrentOrg = NonNullable<OrganizationSummaryQuery['organization']>;

export interface CurrentOrgContext {
  org: ComputedRef<CurrentOrg | null | undefined>;
  /** Reloads the org (after a change to its status or its counts). */
  reload: () => Promise<void>;
}

const key: InjectionKey<CurrentOrgContext> = Symbol('current-org');

export function provideCurrentOrg(context: CurrentOrgContext): void {
  provide(key, context);
}

export function useCurrentOrg(): CurrentOrgContext {
  const context = inject(key);
  if (!context) throw new Error('useCurrentOrg() used outside an org panel');
  return context;
}
