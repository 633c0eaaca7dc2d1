// Disable, enable or delete an admin user, each after a confirmation that says what happens to their access.
import { useMessage } from 'naive-ui';
import { useConfirm } from '../../composables/use-confirm';
import { useMutation } from '../../composables/use-mutation';
import { userLabel } from '../../format';
import { DeleteAdminUserMutation, UpdateAdminUserMutation } from '../../graphql/operations/admin-access';

export type AdminAction = 'disable' | 'enable' | 'delete';

export function useAdminActions() {
  const message = useMessage();
  const confirm = useConfirm();
  const update = useMutation(UpdateAdminUserMutation);
  const remove = useMutation(DeleteAdminUserMutation);

  /** Resolves true when the action was confirmed and done. */
  async function act(admin: { id: string; email: string; name: string | null }, action: AdminAction): Promise<boolean> {
    const who = userLabel(admin);
    const texts = {
      disable: {
        title: `Disable ${who}?`,
        content: 'They are signed out everywhere at once and cannot sign in until you enable them again.',
        action: 'Disable admin',
      },
      enable: {
        title: `Enable ${who}?`,
        content: 'They can sign in again with their password.',
        action: 'Enable admin',
      },
      delete: {
        title: `Delete ${who}?`,
        content:
          'They are signed out and can never sign in again; what they did stays in the audit log. This cannot be undone.',
        action: 'Delete admin',
      },
    }[action];
    if (!(await confirm({ ...texts, danger: action !== 'enable' }))) return false;
    const r =
      action === 'delete'
        ? await remove.run({ id: admin.id })
        : await update.run({ id: admin.id, input: { disabled: action === 'disable' } });
    if (!r.ok) {
      message.error(r.error.message);
      return false;
    }
    message.success(`${who} ${{ disable: 'disabled', enable: 'enabled', delete: 'deleted' }[action]}`);
    return true;
  }

  return { act };
}
