// How a model change finds and locks what it is about (the model row, its deployments, a credential it routes to)
// and how the audit log shows a model: used by model.service.ts for every catalogue write.
import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../db/orm.ts';
import { notFound } from '../../errors.ts';
import { isUuid } from '../../graphql/validate.ts';
import { ProviderCredentialEntity } from '../provider-credentials/provider-credential.entity.ts';
import { ModelEntity, type ModelRecord } from './model.entity.ts';
import { ModelDeploymentEntity, type ModelDeploymentRecord } from './model-deployment.entity.ts';

export function auditView(m: ModelRecord, deployments: ModelDeploymentRecord[]) {
  return {
    name: m.name,
    inputPricePerMTok: Number(m.inputPricePerMTok),
    outputPricePerMTok: Number(m.outputPricePerMTok),
    cachedInputPricePerMTok: Number(m.cachedInputPricePerMTok),
    deployments: deployments.map((d) => ({
      id: d.id,
      credentialId: d.credentialId,
      upstreamModel: d.upstreamModel,
      weight: d.weight,
    })),
  };
}

export async function requireCredential(em: Em, id: string, field: string): Promise<void> {
  // A shared lock: a concurrent deleteProviderCredential waits for this change, then sees the new deployment.
  const found = isUuid(id)
    ? await em.findOne(ProviderCredentialEntity, { id }, { lockMode: LockMode.PESSIMISTIC_READ, fields: ['id'] })
    : null;
  if (!found) throw notFound(field, `Provider credential ${id} does not exist`);
}

export const modelTarget = (m: ModelRecord) => ({ type: 'model', id: m.id, orgId: null });

/** Lock (the model and its deployments), before view and target of a change to one model. */
export function lockedModel(id: string, field: string) {
  return {
    lock: async (em: Em) => {
      const model = await lockModel(em, id, field);
      return { model, deployments: await deploymentsOf(em, model.id) };
    },
    before: (_: Em, l: { model: ModelRecord; deployments: ModelDeploymentRecord[] }) =>
      auditView(l.model, l.deployments),
    target: (m: ModelRecord) => modelTarget(m),
  };
}

/** The same for a change to one deployment (its model locked). */
export function lockedDeployment(id: string, field: string) {
  return {
    lock: (em: Em) => lockDeployment(em, id, field),
    before: (_: Em, l: { model: ModelRecord; deployments: ModelDeploymentRecord[] }) =>
      auditView(l.model, l.deployments),
    target: (m: ModelRecord) => modelTarget(m),
  };
}

/** The model row `for update`: changes to one model's routing apply one after the other. */
export async function lockModel(em: Em, id: string, field: string): Promise<ModelRecord> {
  const found = isUuid(id) ? await em.findOne(ModelEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (!found) throw notFound(field, `Model ${id} does not exist`);
  return found;
}

export function deploymentsOf(em: Em, modelId: string): Promise<ModelDeploymentRecord[]> {
  return em.find(ModelDeploymentEntity, { modelId }, { orderBy: { seq: 'asc' } });
}

export async function lockDeployment(em: Em, id: string, field: string) {
  const d = isUuid(id) ? await em.findOne(ModelDeploymentEntity, { id }) : null;
  if (!d) throw notFound(field, `Model deployment ${id} does not exist`);
  const model = await lockModel(em, d.modelId, field);
  const deployments = await deploymentsOf(em, model.id);
  const deployment = deployments.find((o) => o.id === id);
  // Removed by a concurrent change between the first read and the lock.
  if (!deployment) throw notFound(field, `Model deployment ${id} does not exist`);
  return { model, deployment, deployments };
}
