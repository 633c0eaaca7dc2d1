// Team operations: an organization's teams, create a team.
import { operation } from '../operation';
import type { CreateTeamInput, Page, Team } from '../types';

const teamFields = 'id orgId name status createdAt';

export const OrgTeamsQuery = operation<{ organization: { id: string; teams: Page<Team> } | null }, { orgId: string }>(
  `query OrgTeams($orgId: ID!) { organization(id: $orgId) { id teams(first: 100) { nodes { ${teamFields} } } } }`,
);

export const CreateTeamMutation = operation<{ createTeam: Team }, { input: CreateTeamInput }>(
  `mutation CreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { ${teamFields} } }`,
);
