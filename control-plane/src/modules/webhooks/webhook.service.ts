// Webhook endpoint rules: an org has a few endpoints (the platform too, receiving every org's alerts), each URL
// checked (webhook-url.ts), the signing secret sealed with the master key and shown only when created or rotated.
// Every change is audited in its own transaction; the audit log keeps the secret's hint, never the secret.
import { LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import { textLimits } from '../../graphql/input-limits.ts';
import { isUuid, optionalText } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { WebhookDelivery, type WebhookDeliveryStatus } from './webhook.type.ts';
import { WebhookEndpointEntity, type WebhookEndpointRecord } from './webhook-endpoint.entity.ts';
import { newWebhookSecret } from './webhook-signature.ts';
import { validateWebhookUrl } from './webhook-url.ts';

/** Endpoints one org (or the platform) may have: alerts fan out to each, so this bounds the work per alert. */
export const maxEndpointsPerOwner = 10;
export const maxDeliveriesListed = 100;

/** Recognises a secret without revealing it: `whsec_...` and its last 4 characters. */
const hintOf = (secret: string) => `whsec_...${secret.slice(-4)}`;

/** What the audit log keeps of an endpoint. */
function auditView(e: WebhookEndpointRecord) {
  return { url: e.url, description: e.description ?? null, enabled: e.enabled, hint: e.secretHint };
}

const target = (e: WebhookEndpointRecord) => ({ type: 'webhookEndpoint', id: e.id, orgId: e.orgId ?? null });

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  alert_id: string;
  status: WebhookDeliveryStatus;
  attempt: number;
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date;
  delivered_at: Date | null;
  created_at: Date;
}

export class WebhookService {
  readonly #em: Em;
  readonly #box: SecretBox;
  readonly #allowInternal: boolean;

  constructor(em: Em, box: SecretBox, allowInternal: boolean) {
    this.#em = em;
    this.#box = box;
    this.#allowInternal = allowInternal;
  }

  /** One org's endpoints, or (null) the platform's, oldest first. */
  list(orgId: string | null): Promise<WebhookEndpointRecord[]> {
    return this.#em.find(WebhookEndpointEntity, { orgId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async create(actor: Principal, input: { orgId?: string | null; url: string; description?: string | null }) {
    const orgId = input.orgId ?? null;
    const url = validateWebhookUrl('input.url', input.url, this.#allowInternal);
    const description = optionalText('input.description', input.description, textLimits.description);
    const secret = newWebhookSecret();
    const sealed = this.#box.seal(secret);
    const record = await auditedChange(this.#em, actor, {
      action: 'webhookEndpoint.create',
      mutate: async (em) => {
        if (orgId !== null) {
          // Serializes creations in one org, so two at once cannot pass the count together.
          const org = await em.execute('select 1 from organizations where id = ? and deleted_at is null for update', [
            orgId,
          ]);
          if (!org.length) throw notFound('input.orgId', 'No organization with this id');
        } else {
          await em.execute("select pg_advisory_xact_lock(hashtext('webhook_endpoints:platform'))");
        }
        if ((await em.count(WebhookEndpointEntity, { orgId })) >= maxEndpointsPerOwner) {
          throw conflict('input.orgId', `At most ${maxEndpointsPerOwner} webhook endpoints per organization`);
        }
        return em.create(WebhookEndpointEntity, {
          orgId,
          url,
          description,
          enabled: true,
          secretCiphertext: sealed.ciphertext,
          secretIv: sealed.iv,
          secretTag: sealed.tag,
          secretHint: hintOf(secret),
          secretRotatedAt: null,
        });
      },
      after: (_, e) => auditView(e),
      target,
    });
    return { record, secret };
  }

  async update(
    actor: Principal,
    input: { id: string; url?: string | null; description?: string | null; enabled?: boolean | null },
  ) {
    const url =
      input.url === null || input.url === undefined
        ? undefined
        : validateWebhookUrl('input.url', input.url, this.#allowInternal);
    const description =
      input.description === null || input.description === undefined
        ? undefined
        : optionalText('input.description', input.description, textLimits.description);
    return auditedChange(this.#em, actor, {
      action: 'webhookEndpoint.update',
      ...this.#locked(input.id, 'input.id'),
      mutate: async (em, e) => {
        if (url !== undefined) e.url = url;
        if (description !== undefined) e.description = description;
        if (input.enabled !== null && input.enabled !== undefined) {
          if (e.enabled && !input.enabled) await failPending(em, e.id, 'endpoint disabled');
          e.enabled = input.enabled;
        }
        return e;
      },
    });
  }

  /** Removes the endpoint and its delivery history. */
  delete(actor: Principal, id: string): Promise<WebhookEndpointRecord> {
    return auditedChange(this.#em, actor, {
      action: 'webhookEndpoint.delete',
      ...this.#locked(id, 'id'),
      mutate: async (em, e) => {
        em.remove(e);
        return e;
      },
      after: undefined,
    });
  }

  /** A new signing secret, effective for the next attempt of every delivery; the old one stops working at once. */
  async rotate(actor: Principal, id: string) {
    const secret = newWebhookSecret();
    const sealed = this.#box.seal(secret);
    const record = await auditedChange(this.#em, actor, {
      action: 'webhookEndpoint.rotateSecret',
      ...this.#locked(id, 'id'),
      mutate: async (_, e) => {
        e.secretCiphertext = sealed.ciphertext;
        e.secretIv = sealed.iv;
        e.secretTag = sealed.tag;
        e.secretHint = hintOf(secret);
        e.secretRotatedAt = new Date();
        return e;
      },
    });
    return { record, secret };
  }

  /** The endpoint's most recent deliveries, newest first. */
  async deliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > maxDeliveriesListed) {
      throw badInput('limit', `limit must be an integer from 1 to ${maxDeliveriesListed}`);
    }
    const rows = await this.#em.execute<DeliveryRow[]>(
      `select id, endpoint_id, alert_id, status, attempt, last_status, last_error, last_attempt_at, next_attempt_at,
              delivered_at, created_at
         from webhook_deliveries where endpoint_id = ? order by created_at desc, id desc limit ?`,
      [endpointId, limit],
    );
    return rows.map((r) =>
      Object.assign(new WebhookDelivery(), {
        id: r.id,
        endpointId: r.endpoint_id,
        alertId: r.alert_id,
        status: r.status,
        attempt: r.attempt,
        lastStatus: r.last_status,
        lastError: r.last_error,
        lastAttemptAt: r.last_attempt_at ? new Date(r.last_attempt_at) : null,
        nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at) : null,
        deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
        createdAt: new Date(r.created_at),
      }),
    );
  }

  #locked(id: string, field: string) {
    return {
      lock: async (em: Em) => {
        const found = isUuid(id)
          ? await em.findOne(WebhookEndpointEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE })
          : null;
        if (!found) throw notFound(field, `Webhook endpoint ${id} does not exist`);
        return found;
      },
      before: (_: Em, e: WebhookEndpointRecord) => auditView(e),
      after: (_: Em, e: WebhookEndpointRecord) => auditView(e),
      target,
    };
  }
}

/** Deliveries still waiting for a disabled endpoint are given up, so re-enabling it does not send stale alerts. */
async function failPending(em: Em, endpointId: string, reason: string): Promise<void> {
  await em.execute(
    "update webhook_deliveries set status = 'failed', last_error = ? where endpoint_id = ? and status = 'pending'",
    [reason, endpointId],
  );
}
