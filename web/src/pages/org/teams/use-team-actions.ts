// Suspend, reactivate or delete a team, each after a confirmation that says what happens to its keys and usage.
import { useMessage } from 'naive-ui';
import { useConfirm } from '../../../composables/use-confirm';
import { useMutation } from '../../../composables/use-mutation';
import {
  DeleteOrgTeamMutation,
  ReactivateOrgTeamMutation,
  SuspendOrgTeamMutation,
} from '../../../graphql/operations/org-teams';
import { type TeamAction, teamActionTexts } from './team-texts';

export type { TeamAction };

export function useTeamActions() {
  const message = useMessage();
  const confirm = useConfirm();
  const suspend = useMutation(SuspendOrgTeamMutation);
  const reactivate = useMutation(ReactivateOrgTeamMutation);
  const remove = useMutation(DeleteOrgTeamMutation);

  /** Resolves true when the action was confirmed and done. */
  async function act(team: { id: string; name: string }, action: TeamAction): Promise<boolean> {
    const texts = teamActionTexts(team.name, action);
    if (!(await confirm({ ...texts, danger: action !== 'reactivate' }))) return false;
    const vars = { id: team.id };
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
    message.success(`${team.name} ${{ suspend: 'suspended', reactivate: 'reactivated', delete: 'deleted' }[action]}`);
    return true;
  }

  return { act };
}
