// Virtual key operations: list with owner names, the choices the create form needs, create, revoke.
import { operation } from '../operation';
import type { CreateVirtualKeyInput, Model, Page, Team, User, VirtualKey } from '../types';

const keyFields = 'id orgId teamId userId name prefix allowedModels expiresAt revokedAt lastUsedAt status createdAt';

type Owners = { teams: Page<Pick<Team, 'id' | 'name'>>; users: Page<Pick<User, 'id' | 'email' | 'name' | 'teamIds'>> };
const owners = 'teams(first: 100) { nodes { id name } } users(first: 100) { nodes { id email name teamIds } }';

export const OrgVirtualKeysQuery = operation<
  { organization: ({ id: string; virtualKeys: Page<VirtualKey> } & Owners) | null },
  { orgId: string }
>(`query OrgVirtualKeys($orgId: ID!) {
  organization(id: $orgId) { id virtualKeys(first: 100) { nodes { ${keyFields} } } ${owners} }
}`);

/** Everything the create form offers as choices: the org's teams and users, and the models the org may use. */
export const VirtualKeyFormChoicesQuery = operation<
  { organization: ({ id: string } & Owners) | null; models: { nodes: Model[] } },
  { orgId: string }
>(`query VirtualKeyFormChoices($orgId: ID!) {
  organization(id: $orgId) { id ${owners} }
  models(orgId: $orgId, first: 100) { nodes { id name } }
}`);

export const CreateVirtualKeyMutation = operation<
  { createVirtualKey: { virtualKey: VirtualKey; secret: string } },
  { input: CreateVirtualKeyInput }
>(`mutation CreateVirtualKey($input: CreateVirtualKeyInput!) {
  createVirtualKey(input: $input) { secret virtualKey { ${keyFields} } }
}`);

export const RevokeVirtualKeyMutation = operation<{ revokeVirtualKey: VirtualKey }, { id: string }>(
  `mutation RevokeVirtualKey($id: ID!) { revokeVirtualKey(id: $id) { ${keyFields} } }`,
);
