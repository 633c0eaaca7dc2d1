// The key form's rules, apart from the page: who may own a key (a user, optionally attributed to one of their
// teams, or a team), which models it may use, when it expires, and the create/update inputs built from the form.
import { customExpiryError, type ExpiryChoice, expiresAt } from '../../../expiry';
import type { CreateVirtualKeyInput, KeyOwnerKind, UpdateVirtualKeyInput } from '../../../graphql/generated/graphql';
import { maxNameLength, slug } from '../../../validation';
import { formatMetadata, metadataError, parseMetadata } from './metadata';

/** `keep` (edit only) leaves the expiry as it is. */
export type KeyExpiryChoice = ExpiryChoice | 'keep';

export type KeyFormValues = {
  name: string;
  alias: string;
  ownerKind: KeyOwnerKind;
  /** The owning user (USER keys). */
  userId: string | null;
  /** One of the owning user's teams, for attribution (USER keys, optional). */
  attributionTeamId: string | null;
  /** The owning team (TEAM keys). */
  teamId: string | null;
  moduleId: string | null;
  allModels: boolean;
  models: string[];
  expiry: KeyExpiryChoice;
  /** The custom expiry, a timestamp in ms (the date picker's value). */
  customExpiry: number | null;
  /** JSON text. */
  metadata: string;
};

/** What the edit form starts from: the fields of a stored key it can change or show. */
export interface EditableKey {
  name: string;
  alias: string | null;
  ownerKind: KeyOwnerKind;
  userId: string | null;
  teamId: string | null;
  moduleId: string | null;
  allowedModels: string[] | null;
  expiresAt: string | null;
  metadata: unknown;
}

export interface InitialOwner {
  ownerKind: KeyOwnerKind;
  userId?: string | null;
  teamId?: string | null;
}

export function emptyKeyForm(owner?: InitialOwner): KeyFormValues {
  const kind = owner?.ownerKind ?? 'USER';
  return {
    name: '',
    alias: '',
    ownerKind: kind,
    userId: kind === 'USER' ? (owner?.userId ?? null) : null,
    attributionTeamId: kind === 'USER' ? (owner?.teamId ?? null) : null,
    teamId: kind === 'TEAM' ? (owner?.teamId ?? null) : null,
    moduleId: null,
    allModels: true,
    models: [],
    expiry: 'never',
    customExpiry: null,
    metadata: '',
  };
}

export function keyFormFrom(key: EditableKey): KeyFormValues {
  const user = key.ownerKind === 'USER';
  return {
    name: key.name,
    alias: key.alias ?? '',
    ownerKind: key.ownerKind,
    userId: user ? key.userId : null,
    attributionTeamId: user ? key.teamId : null,
    teamId: user ? null : key.teamId,
    moduleId: key.moduleId,
    allModels: key.allowedModels === null,
    models: key.allowedModels ?? [],
    expiry: 'keep',
    customExpiry: null,
    metadata: formatMetadata(key.metadata),
  };
}

/** The owner ids the API takes: a user (with an optional attribution team) or a team alone. */
export function ownerIds(values: KeyFormValues): { userId: string | null; teamId: string | null } {
  return values.ownerKind === 'USER'
    ? { userId: values.userId, teamId: values.userId ? values.attributionTeamId : null }
    : { userId: null, teamId: values.teamId };
}

/** When another user is chosen, an attribution team that is not one of theirs no longer applies. */
export function keepAttribution(teamId: string | null, userTeamIds: readonly string[]): string | null {
  return teamId && userTeamIds.includes(teamId) ? teamId : null;
}

export function allowedModelsOf(values: KeyFormValues): string[] | null {
  return values.allModels ? null : [...values.models];
}

/** The expiry to send: undefined keeps it (edit), null means never. */
export function expiryOf(values: KeyFormValues, now = Date.now()): string | null | undefined {
  if (values.expiry === 'keep') return undefined;
  if (values.expiry === 'never') return null;
  const custom = values.customExpiry === null ? '' : new Date(values.customExpiry).toISOString();
  return expiresAt(values.expiry, custom, now) ?? null;
}

type Rule = (value: unknown, values: KeyFormValues) => string | undefined;

/** Client rules per field (the server checks again and its errors land on the same fields). */
export const keyFormRules: Partial<Record<keyof KeyFormValues, Rule>> = {
  name: (_: unknown, v: KeyFormValues) =>
    v.name.trim() === ''
      ? 'Name is required.'
      : v.name.trim().length > maxNameLength
        ? `Name must be at most ${maxNameLength} characters.`
        : undefined,
  alias: (_: unknown, v: KeyFormValues) => slug(v.alias),
  userId: (_: unknown, v: KeyFormValues) =>
    v.ownerKind === 'USER' && !v.userId ? 'Choose the user who owns the key.' : undefined,
  teamId: (_: unknown, v: KeyFormValues) =>
    v.ownerKind === 'TEAM' && !v.teamId ? 'Choose the team that owns the key.' : undefined,
  models: (_: unknown, v: KeyFormValues) =>
    !v.allModels && v.models.length === 0 ? 'Choose at least one model, or allow every model.' : undefined,
  customExpiry: (_: unknown, v: KeyFormValues) =>
    v.expiry === 'keep'
      ? undefined
      : customExpiryError(v.expiry, v.customExpiry === null ? '' : new Date(v.customExpiry).toISOString()),
  metadata: (_: unknown, v: KeyFormValues) => metadataError(v.metadata),
};

/** Server fields (`input.teamId`, `input.allowedModels`…) to the form fields that show them. */
export function keyServerField(field: string, values: KeyFormValues): string | undefined {
  if (field === 'teamId') return values.ownerKind === 'USER' ? 'attributionTeamId' : 'teamId';
  if (field === 'allowedModels') return 'models';
  if (field === 'expiresAt') return 'customExpiry';
  return field;
}

export function createKeyInput(orgId: string, values: KeyFormValues, now = Date.now()): CreateVirtualKeyInput {
  const metadata = parseMetadata(values.metadata);
  if (!metadata.ok) throw new Error(metadata.error);
  return {
    orgId,
    ...ownerIds(values),
    name: values.name.trim(),
    alias: values.alias.trim() || null,
    moduleId: values.moduleId,
    allowedModels: allowedModelsOf(values),
    expiresAt: expiryOf(values, now) ?? null,
    metadata: metadata.value,
  };
}

const sameList = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === null || b === null ? a === b : a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Only the fields that changed, so an edit never rewrites what the admin did not touch. The owner never changes. */
export function updateKeyInput(original: EditableKey, values: KeyFormValues, now = Date.now()): UpdateVirtualKeyInput {
  const input: UpdateVirtualKeyInput = {};
  const name = values.name.trim();
  if (name !== original.name) input.name = name;
  const alias = values.alias.trim() || null;
  if (alias !== (original.alias ?? null)) input.alias = alias;
  if (values.moduleId !== original.moduleId) input.moduleId = values.moduleId;
  if (original.ownerKind === 'USER' && values.attributionTeamId !== original.teamId) {
    input.teamId = values.attributionTeamId;
  }
  const models = allowedModelsOf(values);
  if (!sameList(models, original.allowedModels)) input.allowedModels = models;
  const expiry = expiryOf(values, now);
  if (expiry !== undefined) input.expiresAt = expiry;
  if (values.metadata.trim() !== formatMetadata(original.metadata).trim()) {
    const metadata = parseMetadata(values.metadata);
    if (!metadata.ok) throw new Error(metadata.error);
    input.metadata = metadata.value;
  }
  return input;
}
