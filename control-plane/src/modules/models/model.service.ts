// Model rules: a unique, fixed public name, non-negative prices, and one or more deployments, each an existing
// credential + upstream model + positive integer weight, no two alike. Every change is audited with its routing.
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { textLimits } from '../../graphql/input-limits.ts';
import { listPage, type Sql, sql, uuidSet } from '../../graphql/sql-list.ts';
import { isUuid, requirePrice, requireText } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { likeContains } from '../provider-credentials/provider-credential.service.ts';
import { ModelEntity, type ModelRecord } from './model.entity.ts';
import { Model } from './model.type.ts';
import { ModelDeploymentEntity, type ModelDeploymentRecord } from './model-deployment.entity.ts';
import { auditView, lockedDeployment, lockedModel, modelTarget, requireCredential } from './model-locks.ts';

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

export class ModelService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `onlyIds` null = the whole catalogue; a list = those models only (an org's availability). */
  list(onlyIds: string[] | null, filter: ModelListFilter | null, page: PageArgs): Promise<ConnectionShape<Model>> {
    const where: Sql[] = [];
    if (onlyIds) {
      const ids = uuidSet(onlyIds);
      where.push(sql(`m.id in ${ids.text}`, ...ids.params));
    }
    if (filter?.nameContains?.trim()) where.push(sql('m.name ilike ?', likeContains(filter.nameContains.trim())));
    if (filter?.credentialId) {
      where.push(
        isUuid(filter.credentialId)
          ? sql(
              'exists (select 1 from model_deployments d where d.model_id = m.id and d.credential_id = ?)',
              filter.credentialId,
            )
          : sql('false'),
      );
    }
    const src = { from: 'models m', columns: 'm.*', keys: [{ expr: 'm.name', type: 'text' as const }], where };
    return listPage(this.#em, src, page, (row: object) => Model.from(this.#em.map(ModelEntity, row as never)));
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
    const created = await auditedChange(this.#em, actor, {
      action: 'model.create',
      mutate: async (em) => {
        for (const [i, d] of deployments.entries()) {
          await requireCredential(em, d.credentialId, `input.deployments.${i}.credentialId`);
        }
        if (await em.count(ModelEntity, { name }))
          throw conflict('input.name', `A model named "${name}" already exists`);
        const m = em.create(ModelEntity, {
          name,
          inputPricePerMTok: inputPrice,
          outputPricePerMTok: outputPrice,
          cachedInputPricePerMTok: cachedPrice,
        });
        await em.flush();
        return { m, rows: deployments.map((d) => em.create(ModelDeploymentEntity, { modelId: m.id, ...d })) };
      },
      after: (_, { m, rows }) => auditView(m, rows),
      target: ({ m }) => modelTarget(m),
    });
    return created.m;
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
    return auditedChange(this.#em, actor, {
      action: 'model.update',
      ...lockedModel(input.id, 'input.id'),
      mutate: async (_, { model: m }) => {
        if (inputPrice !== undefined) m.inputPricePerMTok = inputPrice;
        if (outputPrice !== undefined) m.outputPricePerMTok = outputPrice;
        if (cachedPrice !== undefined) m.cachedInputPricePerMTok = cachedPrice;
        return m;
      },
      after: (_, m, { deployments }) => auditView(m, deployments),
    });
  }

  /** Usage history keeps the model's name; key allow-lists naming it simply stop matching anything. */
  async delete(actor: Principal, id: string): Promise<ModelRecord> {
    try {
      return await auditedChange(this.#em, actor, {
        action: 'model.delete',
        ...lockedModel(id, 'id'),
        // Deployments and org availability entries go with it (on delete cascade).
        mutate: async (em, { model: m }) => {
          em.remove(m);
          return m;
        },
        after: undefined,
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
    let after: ModelDeploymentRecord[] = [];
    return auditedChange(this.#em, actor, {
      action: 'model.addDeployment',
      ...lockedModel(input.modelId, 'input.modelId'),
      mutate: async (em, { model: m, deployments }) => {
        await requireCredential(em, spec.credentialId, 'input.credentialId');
        if (deployments.length >= maxDeployments) {
          throw conflict('input.modelId', `A model has at most ${maxDeployments} deployments`);
        }
        if (deployments.some((d) => sameTarget(d, spec))) {
          throw conflict(
            'input.upstreamModel',
            'The model already has a deployment with this credential and upstream model',
          );
        }
        after = [...deployments, em.create(ModelDeploymentEntity, { modelId: m.id, ...spec })];
        return m;
      },
      after: (_, m) => auditView(m, after),
    });
  }

  async updateDeployment(
    actor: Principal,
    input: { id: string; credentialId?: string | null; upstreamModel?: string | null; weight?: number | null },
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
    return auditedChange(this.#em, actor, {
      action: 'model.updateDeployment',
      ...lockedDeployment(input.id, 'input.id'),
      mutate: async (em, { model: m, deployment: d, deployments }) => {
        if (credentialId !== undefined) await requireCredential(em, credentialId, 'input.credentialId');
        const next = {
          credentialId: credentialId ?? d.credentialId,
          upstreamModel: upstreamModel ?? d.upstreamModel,
          weight: weight ?? d.weight,
        };
        if (deployments.some((o) => o.id !== d.id && sameTarget(o, next))) {
          throw conflict('input', 'The model already has a deployment with this credential and upstream model');
        }
        Object.assign(d, next);
        return m;
      },
      after: (_, m, { deployments }) => auditView(m, deployments),
    });
  }

  /** A model keeps at least one deployment: CONFLICT for its last one (delete the model instead). */
  async removeDeployment(actor: Principal, id: string): Promise<ModelRecord> {
    return auditedChange(this.#em, actor, {
      action: 'model.removeDeployment',
      ...lockedDeployment(id, 'id'),
      mutate: async (em, { model: m, deployment: d, deployments }) => {
        if (deployments.length === 1) {
          throw conflict(
            'id',
            `This is the only deployment of model "${m.name}"; add another first or delete the model`,
          );
        }
        em.remove(d);
        return m;
      },
      after: (_, m, { deployment: d, deployments }) =>
        auditView(
          m,
          deployments.filter((o) => o.id !== d.id),
        ),
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
}
