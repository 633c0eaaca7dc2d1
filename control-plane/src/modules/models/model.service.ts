// Model rules: a unique, fixed public name, non-negative prices, and one or more deployments, each an existing
// credential + upstream model + positive integer weight, no two alike. Every change is audited with its routing.
import { type FilterQuery, ForeignKeyConstraintViolationException, LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import { inConfigChange } from '../../db/config-change.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import { type ConnectionShape, type PageArgs, paginate } from '../../graphql/connection.ts';
import { textLimits } from '../../graphql/input-limits.ts';
import { isUuid, requirePrice, requireText } from '../../graphql/validate.ts';
import { recordAudit } from '../audit/audit-record.ts';
import { ProviderCredentialEntity } from '../provider-credentials/provider-credential.entity.ts';
import { likeContains } from '../provider-credentials/provider-credential.service.ts';
import { ModelEntity, type ModelRecord } from './model.entity.ts';
import { Model } from './model.type.ts';
import { ModelDeploymentEntity, type ModelDeploymentRecord } from './model-deployment.entity.ts';

export const maxWeight = 1_000_000;
export const maxDeployments = 50;

export interface DeploymentSpec {
  credentialId: string;
  upstreamModel: string;
  weight?: number | null;
}

export interface CreateModel {
  name: string;
  deployments: DeploymentSpec[];
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  cachedInputPricePerMTok?: number | null;
}

export interface ModelListFilter {
  nameContains?: string | null;
  credentialId?: string | null;
}

interface Deployment {
  credentialId: string;
  upstreamModel: string;
  weight: number;
}

const sameTarget = (a: Deployment, b: Deployment) =>
  a.credentialId === b.credentialId && a.upstreamModel === b.upstreamModel;

function requireWeight(field: string, value: number | null | undefined): number {
  if (value === null || value === undefined) return 1;
  if (!Number.isInteger(value) || value < 1 || value > maxWeight) {
    throw badInput(field, `weight must be an integer from 1 to ${maxWeight}`);
  }
  return value;
}

function auditView(m: ModelRecord, deployments: ModelDeploymentRecord[]) {
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

export class ModelService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `onlyIds` null = the whole catalogue; a list = those models only (an org's availability). */
  async list(
    onlyIds: string[] | null,
    filter: ModelListFilter | null,
    page: PageArgs,
  ): Promise<ConnectionShape<Model>> {
    const and: FilterQuery<ModelRecord>[] = [];
    if (onlyIds) and.push({ id: { $in: onlyIds } });
    if (filter?.nameContains?.trim()) and.push({ name: { $ilike: likeContains(filter.nameContains.trim()) } });
    if (filter?.credentialId) {
      const rows = isUuid(filter.credentialId)
        ? await this.#em.find(ModelDeploymentEntity, { credentialId: filter.credentialId }, { fields: ['modelId'] })
        : [];
      and.push({ id: { $in: rows.map((d) => d.modelId) } });
    }
    return paginate(this.#em, ModelEntity, and.length ? { $and: and } : {}, page, { name: 'asc' }, (m) =>
      Model.from(m),
    );
  }

  find(id: string): Promise<ModelRecord | null> {
    return isUuid(id) ? this.#em.findOne(ModelEntity, { id }) : Promise.resolve(null);
  }

  async create(actor: Principal, input: CreateModel): Promise<ModelRecord> {
    const name = requireText('input.name', input.name, textLimits.modelName);
    if (/\s/.test(name)) throw badInput('input.name', 'name must not contain whitespace');
    const inputPrice = requirePrice('input.inputPricePerMTok', input.inputPricePerMTok);
    const outputPrice = requirePrice('input.outputPricePerMTok', input.outputPricePerMTok);
    const cachedPrice =
      input.cachedInputPricePerMTok === null || input.cachedInputPricePerMTok === undefined
        ? inputPrice
        : requirePrice('input.cachedInputPricePerMTok', input.cachedInputPricePerMTok);
    if (input.deployments.length === 0) throw badInput('input.deployments', 'A model needs at least one deployment');
    if (input.deployments.length > maxDeployments) {
      throw badInput('input.deployments', `A model has at most ${maxDeployments} deployments`);
    }
    const deployments: Deployment[] = [];
    for (const [i, d] of input.deployments.entries()) {
      const spec = this.#deployment(`input.deployments.${i}`, d);
      if (deployments.some((o) => sameTarget(o, spec))) {
        throw badInput(`input.deployments.${i}`, 'Two deployments with the same credential and upstream model');
      }
      deployments.push(spec);
    }
    return inConfigChange(this.#em, async (em) => {
      for (const [i, d] of deployments.entries()) {
        await requireCredential(em, d.credentialId, `input.deployments.${i}.credentialId`);
      }
      if (await em.count(ModelEntity, { name })) throw conflict('input.name', `A model named "${name}" already exists`);
      const m = em.create(ModelEntity, {
        name,
        inputPricePerMTok: inputPrice,
        outputPricePerMTok: outputPrice,
        cachedInputPricePerMTok: cachedPrice,
      });
      await em.flush();
      const rows = deployments.map((d) => em.create(ModelDeploymentEntity, { modelId: m.id, ...d }));
      await em.flush();
      await this.#audit(em, actor, 'model.create', m, undefined, auditView(m, rows));
      return m;
    });
  }

  async update(
    actor: Principal,
    input: {
      id: string;
      inputPricePerMTok?: number | null;
      outputPricePerMTok?: number | null;
      cachedInputPricePerMTok?: number | null;
    },
  ): Promise<ModelRecord> {
    const price = (field: keyof typeof input) => {
      const v = input[field];
      return v === null || v === undefined ? undefined : requirePrice(`input.${field}`, v as number);
    };
    const inputPrice = price('inputPricePerMTok');
    const outputPrice = price('outputPricePerMTok');
    const cachedPrice = price('cachedInputPricePerMTok');
    if (inputPrice === undefined && outputPrice === undefined && cachedPrice === undefined) {
      throw badInput('input', 'Give at least one price to change');
    }
    return inConfigChange(this.#em, async (em) => {
      const m = await lockModel(em, input.id, 'input.id');
      const deployments = await deploymentsOf(em, m.id);
      const before = auditView(m, deployments);
      if (inputPrice !== undefined) m.inputPricePerMTok = inputPrice;
      if (outputPrice !== undefined) m.outputPricePerMTok = outputPrice;
      if (cachedPrice !== undefined) m.cachedInputPricePerMTok = cachedPrice;
      await em.flush();
      await this.#audit(em, actor, 'model.update', m, before, auditView(m, deployments));
      return m;
    });
  }

  /** Usage history keeps the model's name; key allow-lists naming it simply stop matching anything. */
  async delete(actor: Principal, id: string): Promise<ModelRecord> {
    try {
      return await inConfigChange(this.#em, async (em) => {
        const m = await lockModel(em, id, 'id');
        const before = auditView(m, await deploymentsOf(em, m.id));
        // Deployments and org availability entries go with it (on delete cascade).
        em.remove(m);
        await em.flush();
        await this.#audit(em, actor, 'model.delete', m, before, undefined);
        return m;
      });
    } catch (error) {
      if (error instanceof ForeignKeyConstraintViolationException) {
        throw conflict('id', 'The model is still referenced (e.g. by a product module); remove those references first');
      }
      throw error;
    }
  }

  async addDeployment(actor: Principal, input: DeploymentSpec & { modelId: string }): Promise<ModelRecord> {
    const spec = this.#deployment('input', input);
    return inConfigChange(this.#em, async (em) => {
      const m = await lockModel(em, input.modelId, 'input.modelId');
      await requireCredential(em, spec.credentialId, 'input.credentialId');
      const deployments = await deploymentsOf(em, m.id);
      if (deployments.length >= maxDeployments) {
        throw conflict('input.modelId', `A model has at most ${maxDeployments} deployments`);
      }
      if (deployments.some((d) => sameTarget(d, spec))) {
        throw conflict(
          'input.upstreamModel',
          'The model already has a deployment with this credential and upstream model',
        );
      }
      const before = auditView(m, deployments);
      const added = em.create(ModelDeploymentEntity, { modelId: m.id, ...spec });
      await em.flush();
      await this.#audit(em, actor, 'model.addDeployment', m, before, auditView(m, [...deployments, added]));
      return m;
    });
  }

  async updateDeployment(
    actor: Principal,
    input: {
      id: string;
      credentialId?: string | null;
      upstreamModel?: string | null;
      weight?: number | null;
    },
  ): Promise<ModelRecord> {
    const upstreamModel =
      input.upstreamModel === null || input.upstreamModel === undefined
        ? undefined
        : requireText('input.upstreamModel', input.upstreamModel, textLimits.modelName);
    const weight =
      input.weight === null || input.weight === undefined ? undefined : requireWeight('input.weight', input.weight);
    const credentialId = input.credentialId ?? undefined;
    if (upstreamModel === undefined && weight === undefined && credentialId === undefined) {
      throw badInput('input', 'Give a credentialId, an upstreamModel or a weight to change');
    }
    return inConfigChange(this.#em, async (em) => {
      const { model: m, deployment: d, deployments } = await lockDeployment(em, input.id, 'input.id');
      if (credentialId !== undefined) await requireCredential(em, credentialId, 'input.credentialId');
      const before = auditView(m, deployments);
      const next = {
        credentialId: credentialId ?? d.credentialId,
        upstreamModel: upstreamModel ?? d.upstreamModel,
        weight: weight ?? d.weight,
      };
      if (deployments.some((o) => o.id !== d.id && sameTarget(o, next))) {
        throw conflict('input', 'The model already has a deployment with this credential and upstream model');
      }
      Object.assign(d, next);
      await em.flush();
      await this.#audit(em, actor, 'model.updateDeployment', m, before, auditView(m, deployments));
      return m;
    });
  }

  /** A model keeps at least one deployment: CONFLICT for its last one (delete the model instead). */
  async removeDeployment(actor: Principal, id: string): Promise<ModelRecord> {
    return inConfigChange(this.#em, async (em) => {
      const { model: m, deployment: d, deployments } = await lockDeployment(em, id, 'id');
      if (deployments.length === 1) {
        throw conflict('id', `This is the only deployment of model "${m.name}"; add another first or delete the model`);
      }
      const before = auditView(m, deployments);
      em.remove(d);
      await em.flush();
      const after = auditView(
        m,
        deployments.filter((o) => o.id !== d.id),
      );
      await this.#audit(em, actor, 'model.removeDeployment', m, before, after);
      return m;
    });
  }

  #deployment(field: string, d: DeploymentSpec): Deployment {
    if (!isUuid(d.credentialId))
      throw notFound(`${field}.credentialId`, `Provider credential ${d.credentialId} does not exist`);
    return {
      credentialId: d.credentialId,
      upstreamModel: requireText(`${field}.upstreamModel`, d.upstreamModel, textLimits.modelName),
      weight: requireWeight(`${field}.weight`, d.weight),
    };
  }

  async #audit(em: Em, actor: Principal, action: string, m: ModelRecord, before: unknown, after: unknown) {
    await recordAudit(em, actor, { action, targetType: 'model', targetId: m.id, orgId: null, before, after });
  }
}

async function requireCredential(em: Em, id: string, field: string): Promise<void> {
  // A shared lock: a concurrent deleteProviderCredential waits for this change, then sees the new deployment.
  const found = isUuid(id)
    ? await em.findOne(ProviderCredentialEntity, { id }, { lockMode: LockMode.PESSIMISTIC_READ, fields: ['id'] })
    : null;
  if (!found) throw notFound(field, `Provider credential ${id} does not exist`);
}

/** The model row `for update`: changes to one model's routing apply one after the other. */
async function lockModel(em: Em, id: string, field: string): Promise<ModelRecord> {
  const found = isUuid(id) ? await em.findOne(ModelEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (!found) throw notFound(field, `Model ${id} does not exist`);
  return found;
}

function deploymentsOf(em: Em, modelId: string): Promise<ModelDeploymentRecord[]> {
  return em.find(ModelDeploymentEntity, { modelId }, { orderBy: { seq: 'asc' } });
}

async function lockDeployment(em: Em, id: string, field: string) {
  const d = isUuid(id) ? await em.findOne(ModelDeploymentEntity, { id }) : null;
  if (!d) throw notFound(field, `Model deployment ${id} does not exist`);
  const model = await lockModel(em, d.modelId, field);
  const deployments = await deploymentsOf(em, model.id);
  const deployment = deployments.find((o) => o.id === id);
  // Removed by a concurrent change between the first read and the lock.
  if (!deployment) throw notFound(field, `Model deployment ${id} does not exist`);
  return { model, deployment, deployments };
}
