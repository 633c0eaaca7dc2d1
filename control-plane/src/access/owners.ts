// The org that owns a thing named by id, for scope checks before an operation runs (access/operations.ts `owner`).
import type { Em } from '../db/orm.ts';
import { isUuid } from '../graphql/validate.ts';
import type { Owned } from './operations.ts';

interface OwnerOf {
  /** One row with `org_id` for a thing that exists (null = the platform's own), none otherwise. */
  sql: string;
  /** The NOT_FOUND message for an id that does not exist or is out of the caller's sight. */
  missing(id: string): string;
}

// Each query sees what the module's own `find` sees: no soft-deleted teams or users, no keys of deleted orgs.
const owners: Record<Owned, OwnerOf> = {
  team: {
    sql: 'select org_id from teams where id = ? and deleted_at is null',
    missing: (id) => `Team ${id} does not exist`,
  },
  user: {
    sql: 'select org_id from users where id = ? and deleted_at is null',
    missing: (id) => `User ${id} does not exist`,
  },
  virtualKey: {
    sql: `select k.org_id from virtual_keys k join organizations o on o.id = k.org_id and o.deleted_at is null
           where k.id = ?`,
    missing: (id) => `Virtual key ${id} does not exist`,
  },
  adminUser: {
    sql: 'select org_id from admin_users where id = ?',
    missing: (id) => `Admin user ${id} does not exist`,
  },
  apiToken: {
    sql: 'select org_id from api_tokens where id = ?',
    missing: (id) => `API token ${id} does not exist`,
  },
  webhookEndpoint: {
    sql: 'select org_id from webhook_endpoints where id = ?',
    missing: (id) => `Webhook endpoint ${id} does not exist`,
  },
};

/** `{ orgId }` of the owner (null: the platform), or null when no such thing exists. */
export async function ownerOrg(em: Em, of: Owned, id: string): Promise<{ orgId: string | null } | null> {
  if (!isUuid(id)) return null;
  const rows = await em.execute<{ org_id: string | null }[]>(owners[of].sql, [id]);
  return rows[0] ? { orgId: rows[0].org_id } : null;
}

export const missingMessage = (of: Owned, id: string): string => owners[of].missing(id);
