// The gw_budget_alert channel: when a transaction that raised alerts commits, PostgreSQL tells every control-plane
// replica which alerts (and of which orgs), so each can push them to its subscribers and wake its webhook worker.
import { z } from 'zod';
import type { Em } from '../../db/orm.ts';

export const alertChannel = 'gw_budget_alert';

export interface RaisedAlert {
  id: string;
  orgId: string;
}

/** Alerts per notification: each entry is two uuids (~80 bytes), far under the 8000-byte payload limit. */
const perNotification = 50;

/** Queues the notifications in `em`'s transaction: they are delivered on commit, and never if it rolls back. */
export async function notifyAlerts(em: Em, alerts: readonly RaisedAlert[]): Promise<void> {
  for (let i = 0; i < alerts.length; i += perNotification) {
    const chunk = alerts.slice(i, i + perNotification).map((a) => [a.id, a.orgId]);
    await em.execute('select pg_notify(?, ?)', [alertChannel, JSON.stringify(chunk)]);
  }
}

const payloadSchema = z.array(z.tuple([z.string().uuid(), z.string().uuid()]));

/** The alerts of one notification; null when it is not one of ours. */
export function parseAlertNotification(payload: string): RaisedAlert[] | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  return parsed.success ? parsed.data.map(([id, orgId]) => ({ id, orgId })) : null;
}
