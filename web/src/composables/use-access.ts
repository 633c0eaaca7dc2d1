// What the signed-in admin may do, for hiding controls: the API enforces the same rules on every request.
import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { type RouteLocationRaw, useRouter } from 'vue-router';
import { panelAllows } from '../navigation';
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
  const router = useRouter();
  /** May open this page: it exists and the router's guard lets the admin in (e.g. org roles stay out of the platform panel). */
  const canOpen = (to: RouteLocationRaw): boolean => {
    const a = admin.value;
    if (!a) return false;
    const target = router.resolve(to);
    if (target.name === 'not-found') return false;
    return panelAllows(a, target.matched.find((r) => r.meta.panel)?.meta.panel, target.params.orgId);
  };
  return { admin, isPlatform, canWrite, canOpen };
}
