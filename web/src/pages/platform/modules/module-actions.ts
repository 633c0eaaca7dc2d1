// Suspend, reactivate and delete a module, each behind a confirmation that says what happens to traffic and keys.
import { type LifecycleAction, useLifecycleActions } from '../../../composables/use-lifecycle-actions';
import {
  PlatformDeleteModuleMutation,
  PlatformReactivateModuleMutation,
  PlatformSuspendModuleMutation,
} from '../../../graphql/operations/platform-modules';

export type ModuleAction = LifecycleAction;

export function useModuleActions() {
  return useLifecycleActions<{ id: string; name: string; key: string }>(
    {
      suspend: PlatformSuspendModuleMutation,
      reactivate: PlatformReactivateModuleMutation,
      delete: PlatformDeleteModuleMutation,
    },
    (module, action) => ({
      name: module.name,
      texts: {
        suspend: {
          title: `Suspend ${module.name}?`,
          content: `Every request attributed to ${module.key} is refused on every data plane within a second, in every organization, until it is reactivated.`,
          action: 'Suspend module',
        },
        reactivate: {
          title: `Reactivate ${module.name}?`,
          content: 'Requests attributed to the module are served again where it is enabled.',
          action: 'Reactivate',
        },
        delete: {
          title: `Delete ${module.name}?`,
          content: `The module leaves the catalogue and every organization, and keys bound to it are revoked. Usage history keeps its id. The key ${module.key} becomes free for reuse. This cannot be undone.`,
          action: 'Delete module',
        },
      }[action],
    }),
  );
}
