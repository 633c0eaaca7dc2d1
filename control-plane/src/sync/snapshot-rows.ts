// The raw rows a snapshot is built from, as read by load-snapshot.ts (one REPEATABLE READ transaction).
export interface OrgRow {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  budget_fail_open: boolean;
  /** Only its presence matters. */
  deleted_at: unknown;
}

export interface TeamRow {
  id: string;
  org_id: string;
  name: string;
  status: 'active' | 'suspended';
  /** Only its presence matters. */
  deleted_at: unknown;
}

export interface UserRow {
  id: string;
  org_id: string;
  email: string;
  status: 'active' | 'suspended';
  /** Only its presence matters. */
  deleted_at: unknown;
  /** Team ids ordered, from user_teams. */
  team_ids: string[];
}

export interface KeyRow {
  id: string;
  org_id: string;
  team_id: string | null;
  user_id: string | null;
  module_id: string | null;
  prefix: string;
  key_hash: string;
  allowed_models: string[] | null;
  /** ISO-8601. */
  expires_at: string | null;
  revoked: boolean;
  /** The secret the last rotation replaced, and (ISO-8601) until when it is accepted; both null when none. */
  previous_key_hash: string | null;
  previous_expires_at: string | null;
}

export interface ModuleRow {
  id: string;
  key: string;
  status: 'active' | 'suspended';
  /** Only its presence matters. */
  deleted_at: unknown;
}

export interface OrgModuleRow {
  id: string;
  org_id: string;
  module_id: string;
  allowed_models: string[] | null;
}

export interface LimitRow {
  id: string;
  org_id: string;
  scope_kind: 'org' | 'team' | 'user' | 'key' | 'module';
  scope_id: string;
  /** Nano-dollars (bigint as text), null when the period has no budget. */
  daily: string | null;
  weekly: string | null;
  monthly: string | null;
  total: string | null;
  rpm: number | null;
  tpm: number | null;
}

export interface CredentialRow {
  id: string;
  provider: string;
  base_url: string;
  secret_ciphertext: Buffer;
  secret_iv: Buffer;
  secret_tag: Buffer;
}

export interface ModelRow {
  id: string;
  name: string;
  input_price_per_mtok: string | number;
  output_price_per_mtok: string | number;
  cached_input_price_per_mtok: string | number;
}

export interface DeploymentRow {
  id: string;
  model_id: string;
  credential_id: string;
  upstream_model: string;
  weight: number;
}

/** An org limited to some models (orgs without a row may use every model). */
export interface OrgModelAccessRow {
  org_id: string;
  /** Ids of the models it may use; possibly none. */
  model_ids: string[];
}

export interface SnapshotRows {
  version: number;
  orgs: OrgRow[];
  teams: TeamRow[];
  users: UserRow[];
  keys: KeyRow[];
  credentials: CredentialRow[];
  models: ModelRow[];
  deployments: DeploymentRow[];
  orgModelAccess: OrgModelAccessRow[];
  modules: ModuleRow[];
  orgModules: OrgModuleRow[];
  limits: LimitRow[];
}
