// What every org page needs: the current org's id, whether the signed-in admin may change it, and a way to refresh
// the panel's counts after a change.
import { computed } from 'vue';
import { useAccess } from './use-access';
import { useCurrentOrg } from './use-current-org';

export function useOrgScope() {
  const { org, reload } = useCurrentOrg();
  // OrgPanel renders its pages only once the org is loaded, so the id is known whenever a page runs.
  const orgId = computed(() => org.value?.id ?? '');
  const canWrite = useAccess().canWrite(orgId);
  return { org, orgId, canWrite, reload };
}
