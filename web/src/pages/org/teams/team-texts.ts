// What the confirmations of team changes say, matching what the control plane does (team.service.ts): suspending
// stops the team's keys and user keys attributed to it; deleting is soft (its own keys are revoked, attributed
// user keys keep working without the attribution, members stay users of the org, usage history is kept).

export type TeamAction = 'suspend' | 'reactivate' | 'delete';

export interface ConfirmTexts {
  title: string;
  content: string;
  action: string;
}

export function teamActionTexts(name: string, action: TeamAction): ConfirmTexts {
  switch (action) {
    case 'suspend':
      return {
        title: `Suspend ${name}?`,
        content:
          'The team’s keys, and user keys attributed to it, stop working on every data plane within a second, until you reactivate the team.',
        action: 'Suspend team',
      };
    case 'reactivate':
      return {
        title: `Reactivate ${name}?`,
        content: 'Its keys, and user keys attributed to it, work again (unless revoked or expired).',
        action: 'Reactivate team',
      };
    case 'delete':
      return {
        title: `Delete ${name}?`,
        content:
          'The team’s own keys are revoked and stop working within a second; user keys attributed to it keep working without that attribution. Its members stay users of the organization. Usage history is kept. This cannot be undone.',
        action: 'Delete team',
      };
  }
}

/** Taking a user out of a team: their keys attributed to it lose that attribution. */
export function removeMemberTexts(who: string, team: string): ConfirmTexts {
  return {
    title: `Remove ${who} from ${team}?`,
    content: `Their keys attributed to ${team} keep working without that attribution. They stay a user of the organization and keep their other teams.`,
    action: 'Remove member',
  };
}
