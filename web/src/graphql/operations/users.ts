// User operations: an organization's users (with team names to show memberships), create a user.
import { operation } from '../operation';
import type { CreateUserInput, Team, User } from '../types';

const userFields = 'id orgId email name status teamIds createdAt';

export const OrgUsersQuery = operation<
  { organization: { id: string; users: User[]; teams: Pick<Team, 'id' | 'name'>[] } | null },
  { orgId: string }
>(`query OrgUsers($orgId: ID!) {
  organization(id: $orgId) { id users { ${userFields} } teams { id name } }
}`);

export const CreateUserMutation = operation<{ createUser: User }, { input: CreateUserInput }>(
  `mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { ${userFields} } }`,
);
