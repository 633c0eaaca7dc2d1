// The keys list's filter choices (status, owner kind) and the API filter built from what the admin picked.
import type { KeyOwnerKind, KeyStatus, VirtualKeyFilter } from '../../../graphql/generated/graphql';

export const keyStatusOptions: { label: string; value: KeyStatus }[] = [
  { label: 'Active', value: 'ACTIVE' },
  { label: 'Expired', value: 'EXPIRED' },
  { label: 'Revoked', value: 'REVOKED' },
];

export const ownerKindOptions: { label: string; value: KeyOwnerKind }[] = [
  { label: 'Owned by a user', value: 'USER' },
  { label: 'Owned by a team', value: 'TEAM' },
];

export interface KeyFilterValues {
  search: string;
  status: KeyStatus | null;
  ownerKind: KeyOwnerKind | null;
  teamId: string | null;
  userId: string | null;
  moduleId: string | null;
}

export const emptyKeyFilter = (): KeyFilterValues => ({
  search: '',
  status: null,
  ownerKind: null,
  teamId: null,
  userId: null,
  moduleId: null,
});

/** The API filter: blank search and unset choices are left out, so they filter nothing. */
export function keyFilter(values: KeyFilterValues): VirtualKeyFilter {
  const filter: VirtualKeyFilter = {};
  const search = values.search.trim();
  if (search) filter.search = search;
  if (values.status) filter.status = values.status;
  if (values.ownerKind) filter.ownerKind = values.ownerKind;
  if (values.teamId) filter.teamId = values.teamId;
  if (values.userId) filter.userId = values.userId;
  if (values.moduleId) filter.moduleId = values.moduleId;
  return filter;
}

/** True when any filter narrows the list (the empty state then says "no match" rather than "no keys yet"). */
export const isFiltered = (values: KeyFilterValues): boolean => Object.keys(keyFilter(values)).length > 0;
