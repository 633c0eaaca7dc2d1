// User operations: an organization's users (with team names to show memberships), create a user.
import { operation } from '../operation';
import type { CreateUserInput, Page, Team, User } from '../types';

const userFields = 'id orgId email name status teamIds createdAt';

export const OrgUsersQuery = operation<
  { organization: { id: string; users: Page<User>; teams: Page<Pick<Team, 'id' | 'name'>> } | null },
  { orgId: string }
>(`query OrgUsers($orgId: ID!) {
  organization(id: $orgId) { id users(first: 100) { nodes { ${userFields} } } teams(first: 100) { nodes { id name } } }
}`);

export const CreateUserMutation = operation<{ createUser: User }, { input: CreateUserInput }>(
  `mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { ${userFields} } }`,
);
