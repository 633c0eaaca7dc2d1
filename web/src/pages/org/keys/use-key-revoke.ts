// Revoking a key, after a confirmation that says what it means: refused everywhere within a second, for good.
import { useMessage } from 'naive-ui';
import { useConfirm } from '../../../composables/use-confirm';
import { useMutation } from '../../../composables/use-mutation';
import { RevokeOrgKeyMutation } from '../../../graphql/operations/org-keys';
import { prefixText } from './key-labels';

export function useKeyRevoke() {
  const message = useMessage();
  const confirm = useConfirm();
  const mutation = useMutation(RevokeOrgKeyMutation);

  /** Resolves true when the admin confirmed and the key is revoked. */
  async function revoke(key: { id: string; name: string; prefix: string }): Promise<boolean> {
    const ok = await confirm({
      title: `Revoke ${key.name}?`,
      content: `The key ${prefixText(key.prefix)} stops working on every data plane within a second, and so does a previous secret still in its grace period. Revoking cannot be undone: callers need a new key.`,
      action: 'Revoke key',
      danger: true,
    });
    if (!ok) return false;
    const r = await mutation.run({ id: key.id });
    if (!r.ok) {
      message.error(r.error.message);
      return false;
    }
    message.success(`${key.name} revoked`);
    return true;
  }

  return { revoke, pending: mutation.pending };
}
