// What the signed-in admin may do, for hiding controls: the API enforces the same rules on every request.
import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { useSession } from './use-session';

export function useAccess() {
  const { admin } = useSession();
  const isPlatform = computed(() => admin.value?.role === 'PLATFORM_ADMIN');
  /** May change the data of `orgId` (platform admins everywhere, org admins in their own org). */
  const canWrite = (orgId: MaybeRefOrGetter<string | null | undefined>) =>
    computed(() => {
      const a = admin.value;
      if (!a) return false;
      if (a.role === 'PLATFORM_ADMIN') return true;
      return a.role === 'ORG_ADMIN' && a.orgId === toValue(orgId);
    });
  return { admin, isPlatform, canWrite };
}
