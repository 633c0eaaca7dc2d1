// Writing to the delivery outbox: one row per raised alert and enabled endpoint that receives it (the org's own and
// the platform's), in the caller's transaction, so an alert and its deliveries commit or fail together.
import type { Em } from '../../db/orm.ts';

export interface OutboxAlert {
  alertId: string;
  orgId: string;
  /** The JSON body every endpoint receives for this alert. */
  payload: unknown;
}

/** Returns how many deliveries it queued. */
export async function enqueueDeliveries(em: Em, alerts: readonly OutboxAlert[]): Promise<number> {
  if (!alerts.length) return 0;
  const rows = await em.execute<{ id: string }[]>(
    `insert into webhook_deliveries (endpoint_id, alert_id, payload)
     select e.id, a."alertId", a.payload
       from jsonb_to_recordset(?::jsonb) as a("alertId" uuid, "orgId" uuid, payload jsonb)
       join webhook_endpoints e on e.enabled and (e.org_id = a."orgId" or e.org_id is null)
     on conflict on constraint webhook_deliveries_once do nothing
     returning id`,
    [JSON.stringify(alerts)],
  );
  return rows.length;
}
