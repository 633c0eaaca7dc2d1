// Suspend, reactivate and delete an organization, each behind a confirmation that says what happens to its keys.
import { useMessage } from 'naive-ui';
import { useConfirm } from '../../composables/use-confirm';
import { useMutation } from '../../composables/use-mutation';
import {
  DeleteOrganizationMutation,
  ReactivateOrganizationMutation,
  SuspendOrganizationMutation,
} from '../../graphql/operations/organizations';

export type OrgAction = 'suspend' | 'reactivate' | 'delete';

export function useOrgActions() {
  const message = useMessage();
  const confirm = useConfirm();
  const suspend = useMutation(SuspendOrganizationMutation);
  const reactivate = useMutation(ReactivateOrganizationMutation);
  const remove = useMutation(DeleteOrganizationMutation);

  /** Resolves true when the action was confirmed and done. */
  async function act(org: { id: string; name: string }, action: OrgAction): Promise<boolean> {
    const texts = {
      suspend: {
        title: `Suspend ${org.name}?`,
        content:
          'Every key of this organization stops working on every data plane within a second, until you reactivate it. Its admins can still sign in.',
        action: 'Suspend organization',
      },
      reactivate: {
        title: `Reactivate ${org.name}?`,
        content: 'Its keys work again (unless revoked or expired).',
        action: 'Reactivate',
      },
      delete: {
        title: `Delete ${org.name}?`,
        content:
          'Its teams and users disappear, its keys are revoked and its admins can no longer sign in. Usage history is kept. This cannot be undone.',
        action: 'Delete organization',
      },
    }[action];
    if (!(await confirm({ ...texts, danger: action !== 'reactivate' }))) return false;
    const r =
      action === 'suspend'
        ? await suspend.run({ id: org.id })
        : action === 'reactivate'
          ? await reactivate.run({ id: org.id })
          : await remove.run({ id: org.id });
    if (!r.ok) {
      message.error(r.error.message);
      return false;
    }
    message.success(`${org.name} ${{ suspend: 'suspended', reactivate: 'reactivated', delete: 'deleted' }[action]}`);
    return true;
  }

  return { act };
}
