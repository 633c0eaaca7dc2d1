// The audit log's filters as the API takes them (AuditEventFilter), and the names shown for entity types, actions
// and actors. The lists name what the control plane records today; the action filter also accepts any typed text.
import type { AuditEventFilter } from '../../graphql/generated/graphql';

export const entityTypes: { value: string; label: string }[] = [
  { value: 'adminUser', label: 'Admin' },
  { value: 'apiToken', label: 'API token' },
  { value: 'billingSettings', label: 'Billing settings' },
  { value: 'model', label: 'Model' },
  { value: 'module', label: 'Module' },
  { value: 'orgModule', label: 'Module of an org' },
  { value: 'organization', label: 'Organization' },
  { value: 'providerCredential', label: 'Provider credential' },
  { value: 'team', label: 'Team' },
  { value: 'user', label: 'User' },
  { value: 'virtualKey', label: 'Key' },
];

const actions = (prefix: string, verbs: string[]) => verbs.map((v) => `${prefix}.${v}`);

/** The actions recorded on each entity type (an action is `<prefix>.<verb>`; the prefix may differ from the type). */
const actionsByType: Record<string, string[]> = {
  adminUser: [
    ...actions('adminUser', ['create', 'update', 'delete', 'changePassword']),
    ...actions('session', ['login', 'logout']),
  ],
  apiToken: actions('apiToken', ['create', 'revoke']),
  billingSettings: actions('billingSettings', ['set', 'reset', 'setDefault']),
  model: actions('model', ['create', 'update', 'delete', 'addDeployment', 'updateDeployment', 'removeDeployment']),
  module: actions('module', ['create', 'update', 'suspend', 'reactivate', 'delete']),
  orgModule: actions('module', ['enable', 'updateEnablement', 'disable']),
  organization: actions('organization', ['create', 'update', 'suspend', 'reactivate', 'delete', 'setModelAccess']),
  providerCredential: actions('providerCredential', ['create', 'update', 'rotate', 'delete']),
  team: actions('team', ['create', 'update', 'suspend', 'reactivate', 'delete', 'addMember', 'removeMember']),
  user: actions('user', ['create', 'update', 'suspend', 'reactivate', 'delete']),
  virtualKey: actions('virtualKey', ['create', 'update', 'rotate', 'revoke']),
};

/** Known actions, limited to those recorded on `targetType` when one is chosen. */
export function actionOptions(targetType: string | null): { value: string; label: string }[] {
  const list = targetType ? (actionsByType[targetType] ?? []) : Object.values(actionsByType).flat();
  return [...new Set(list)].map((a) => ({ value: a, label: a }));
}

export function entityLabel(targetType: string): string {
  return entityTypes.find((t) => t.value === targetType)?.label ?? targetType;
}

const actorKinds: Record<string, string> = {
  admin_user: 'Admin',
  api_token: 'API token',
  static_token: 'Static admin token',
};

export function actorKindLabel(kind: string): string {
  return actorKinds[kind] ?? kind;
}

export interface AuditFilterValues {
  actorId: string | null;
  targetType: string | null;
  action: string | null;
  /** [from, to] in ms, as the date range picker gives it; `to` is exclusive. */
  range: [number, number] | null;
}

/** The API's filter: empty choices left out, times as ISO instants. */
export function toAuditFilter(v: AuditFilterValues): AuditEventFilter {
  const action = v.action?.trim();
  return {
    actorId: v.actorId || null,
    targetType: v.targetType || null,
    action: action || null,
    from: v.range ? new Date(v.range[0]).toISOString() : null,
    to: v.range ? new Date(v.range[1]).toISOString() : null,
  };
}

/** A value of an audit state as one short line: strings bare, everything else as JSON. */
export function stateValue(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
