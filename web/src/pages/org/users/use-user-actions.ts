// Suspend, reactivate or delete a user, each after a confirmation that says what happens to their keys.
import { type LifecycleAction, useLifecycleActions } from '../../../composables/use-lifecycle-actions';
import { userLabel } from '../../../format';
import {
  DeleteOrgUserMutation,
  ReactivateOrgUserMutation,
  SuspendOrgUserMutation,
} from '../../../graphql/operations/org-users';

export type UserAction = LifecycleAction;

export function useUserActions() {
  return useLifecycleActions<{ id: string; email: string; name: string | null }>(
    { suspend: SuspendOrgUserMutation, reactivate: ReactivateOrgUserMutation, delete: DeleteOrgUserMutation },
    (user, action) => {
      const who = userLabel(user);
      const [title, content, label] = {
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
      }[action] as [string, string, string];
      return { name: who, texts: { title, content, action: label } };
    },
  );
}
