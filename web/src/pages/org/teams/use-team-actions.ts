// Suspend, reactivate or delete a team, each after a confirmation that says what happens to its keys and usage.
import { useLifecycleActions } from '../../../composables/use-lifecycle-actions';
import {
  DeleteOrgTeamMutation,
  ReactivateOrgTeamMutation,
  SuspendOrgTeamMutation,
} from '../../../graphql/operations/org-teams';
import { type TeamAction, teamActionTexts } from './team-texts';

export type { TeamAction };

export function useTeamActions() {
  return useLifecycleActions<{ id: string; name: string }>(
    { suspend: SuspendOrgTeamMutation, reactivate: ReactivateOrgTeamMutation, delete: DeleteOrgTeamMutation },
    (team, action) => ({ name: team.name, texts: teamActionTexts(team.name, action) }),
  );
}
