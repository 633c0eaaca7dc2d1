// Suspend, reactivate and delete a module, each behind a confirmation that says what happens to traffic and keys.
import { useMessage } from 'naive-ui';
import { useConfirm } from '../../../composables/use-confirm';
import { useMutation } from '../../../composables/use-mutation';
import {
  PlatformDeleteModuleMutation,
  PlatformReactivateModuleMutation,
  PlatformSuspendModuleMutation,
} from '../../../graphql/operations/platform-modules';

export type ModuleAction = 'suspend' | 'reactivate' | 'delete';

export function useModuleActions() {
  const message = useMessage();
  const confirm = useConfirm();
  const suspend = useMutation(PlatformSuspendModuleMutation);
  const reactivate = useMutation(PlatformReactivateModuleMutation);
  const remove = useMutation(PlatformDeleteModuleMutation);

  /** Resolves true when the action was confirmed and done. */
  async function act(module: { id: string; name: string; key: string }, action: ModuleAction): Promise<boolean> {
    const texts = {
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
    }[action];
    if (!(await confirm({ ...texts, danger: action !== 'reactivate' }))) return false;
    const r =
      action === 'suspend'
        ? await suspend.run({ id: module.id })
        : action === 'reactivate'
          ? await reactivate.run({ id: module.id })
          : await remove.run({ id: module.id });
    if (!r.ok) {
      message.error(r.error.message);
      return false;
    }
    message.success(`${module.name} ${{ suspend: 'suspended', reactivate: 'reactivated', delete: 'deleted' }[action]}`);
    return true;
  }

  return { act };
}
