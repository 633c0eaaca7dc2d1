// GET /v1/models: the models this key may use (its org's availability, its allow-list, its module's restriction),
// answered from the snapshot once the pipeline admitted the caller.
import type { H3Event } from 'h3';
import { jsonResponse } from '../http/responses.ts';
import type { LocalEndpoint } from '../pipeline/endpoint.ts';
import type { Pipeline } from '../pipeline/run.ts';
import { mayListModel } from '../policy/authorize.ts';

interface ListedModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export const modelsEndpoint: LocalEndpoint = {
  answer(store, ctx) {
    const key = ctx.key!;
    const data: ListedModel[] = [];
    for (const [name, entry] of store.modelsByName) {
      if (!mayListModel(key, ctx.attribution, name)) continue;
      // The snapshot has no creation time; 0 keeps the field's type for SDKs that parse it.
      data.push({ id: name, object: 'model', created: 0, owned_by: entry.deployments[0]?.provider ?? 'gateway' });
    }
    data.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return jsonResponse({ object: 'list', data });
  },
};

export function listModels(pipeline: Pipeline) {
  return function listModelsHandler(event: H3Event): Response {
    return pipeline.answer(event.req.headers, modelsEndpoint);
  };
}
