// Suspend, reactivate and delete an organization, each behind a confirmation that says what happens to its keys.
import { type LifecycleAction, useLifecycleActions } from '../../composables/use-lifecycle-actions';
import {
  DeleteOrganizationMutation,
  ReactivateOrganizationMutation,
  SuspendOrganizationMutation,
} from '../../graphql/operations/organizations';

export type OrgAction = LifecycleAction;

export function useOrgActions() {
  return useLifecycleActions<{ id: string; name: string }>(
    {
      suspend: SuspendOrganizationMutation,
      reactivate: ReactivateOrganizationMutation,
      delete: DeleteOrganizationMutation,
    },
    (org, action) => ({
      name: org.name,
      texts: {
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
      }[action],
    }),
  );
}
