// Suspend, reactivate or delete a user, each after a confirmation that says what happens to their keys.
import { useMessage } from 'naive-ui';
import { useConfirm } from '../../../composables/use-confirm';
import { useMutation } from '../../../composables/use-mutation';
import { userLabel } from '../../../format';
import {
  DeleteOrgUserMutation,
  ReactivateOrgUserMutation,
  SuspendOrgUserMutation,
} from '../../../graphql/operations/org-users';

export type UserAction = 'suspend' | 'reactivate' | 'delete';

export function useUserActions() {
  const message = useMessage();
  const confirm = useConfirm();
  const suspend = useMutation(SuspendOrgUserMutation);
  const reactivate = useMutation(ReactivateOrgUserMutation);
  const remove = useMutation(DeleteOrgUserMutation);

  /** Resolves true when the action was confirmed and done. */
  async function act(user: { id: string; email: string; name: string | null }, action: UserAction): Promise<boolean> {
    const who = userLabel(user);
    const texts = {
      suspend: [
        `Suspend ${who}?`,
        'Their keys stop working on every data plane within a second, until you reactivate them.',
        'Suspend user',
      ],
      reactivate: [`Reactivate ${who}?`, 'Their keys work again (unless revoked or expired).', 'Reactivate user'],
      delete: [
        `Delete ${who}?`,
        'They leave every team and their keys are revoked. Usage history is kept. This cannot be undone.',
        'Delete user',
      ],
    }[action];
    if (!(await confirm({ title: texts[0], content: texts[1], action: texts[2], danger: action !== 'reactivate' }))) {
      return false;
    }
    const vars = { id: user.id };
    const r =
      action === 'suspend'
        ? await suspend.run(vars)
        : action === 'reactivate'
          ? await reactivate.run(vars)
          : await remove.run(vars);
    if (!r.ok) {
      message.error(r.error.message);
      return false;
    }
    message.success(`${who} ${{ suspend: 'suspended', reactivate: 'reactivated', delete: 'deleted' }[action]}`);
    return true;
  }

  return { act };
}
