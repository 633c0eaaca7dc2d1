// Per-request loaders of virtual keys: one page of keys for every org, team or user of a level in one query.
import type { Em } from '../../db/orm.ts';
import { nestedPages } from '../../graphql/loaders.ts';
import type { VirtualKeyFilter } from './virtual-key.input.ts';
import { keyColumns, keyConditions, keyNode } from './virtual-key.list.ts';
import type { VirtualKey } from './virtual-key.type.ts';

export function virtualKeyLoaders(em: Em) {
  const keysBy = (parent: string) =>
    nestedPages<VirtualKeyFilter, VirtualKey>(em, 'virtual_keys k', keyColumns, keyConditions, parent, keyNode(em));
  return {
    keysOfOrg: keysBy('k.org_id'),
    keysOfTeam: keysBy('k.team_id'),
    keysOfUser: keysBy('k.user_id'),
  };
}
