// Per-request DataLoaders of the model catalogue: a page of models (or credentials, or orgs) costs one query per
// nested list, not one per row.
import DataLoader from 'dataloader';
import type { Em } from '../../db/orm.ts';
import { groupBy } from '../../graphql/loaders.ts';
import { ModelEntity, type ModelRecord } from './model.entity.ts';
import { ModelDeploymentEntity, type ModelDeploymentRecord } from './model-deployment.entity.ts';

/** One JSON parameter: the raw-query layer would expand a JS array into separate parameters. */
const idList = (ids: readonly string[]) => JSON.stringify(ids);

export function modelLoaders(em: Em) {
  let catalogue: Promise<ModelRecord[]> | undefined;
  return {
    /** Every model by name, read once per request (the catalogue is small: tens to hundreds of models). */
    catalogue: (): Promise<ModelRecord[]> => {
      catalogue ??= em.find(ModelEntity, {}, { orderBy: { name: 'asc' } });
      return catalogue;
    },
    deploymentsByModel: new DataLoader<string, ModelDeploymentRecord[]>(async (modelIds) => {
      const rows = await em.find(
        ModelDeploymentEntity,
        { modelId: { $in: [...modelIds] } },
        { orderBy: { seq: 'asc' } },
      );
      return groupBy(modelIds, rows, (d) => d.modelId);
    }),
    modelNamesByCredential: new DataLoader<string, string[]>(async (credentialIds) => {
      const rows = await em.execute<{ credential_id: string; name: string }[]>(
        `select distinct d.credential_id, m.name from model_deployments d join models m on m.id = d.model_id
          where d.credential_id in (select jsonb_array_elements_text(?::jsonb)::uuid) order by m.name`,
        [idList(credentialIds)],
      );
      return groupBy(credentialIds, rows, (r) => r.credential_id).map((g) => g.map((r) => r.name));
    }),
    /** null = the org may use every model; else the ids of the models it may use. */
    allowedModelIdsByOrg: new DataLoader<string, string[] | null>(async (orgIds) => {
      const rows = await em.execute<{ org_id: string; model_ids: string[] }[]>(
        `select a.org_id,
                coalesce(array_agg(am.model_id::text order by am.model_id) filter (where am.model_id is not null), '{}')
                  as model_ids
           from org_model_access a left join org_allowed_models am on am.org_id = a.org_id
          where a.org_id in (select jsonb_array_elements_text(?::jsonb)::uuid)
          group by a.org_id`,
        [idList(orgIds)],
      );
      const byOrg = new Map(rows.map((r) => [r.org_id, r.model_ids]));
      return orgIds.map((id) => byOrg.get(id) ?? null);
    }),
  };
}
