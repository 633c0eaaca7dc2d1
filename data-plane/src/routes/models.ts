// GET /v1/models: the models this key may use (its org's availability, its allow-list, its module's restriction).
import type { H3Event } from 'h3';
import { errorResponse, GatewayError } from '../errors.ts';
import { presentedApiKey } from '../http/api-key.ts';
import { jsonResponse } from '../http/responses.ts';
import { authenticate } from '../policy/authenticate.ts';
import { authorizeKey, keyMayUseModel, orgMayUseModel } from '../policy/authorize.ts';
import { attributeModule, moduleHeader, moduleMayUseModel } from '../policy/module.ts';
import type { AppDeps } from './deps.ts';

export function listModels(deps: AppDeps) {
  return function listModelsHandler(event: H3Event): Response {
    const store = deps.stores.current;
    if (!store) return errorResponse(new GatewayError('gateway_not_ready', 'The gateway has no configuration yet.'));
    const auth = authenticate(store, presentedApiKey(event.req.headers));
    if (!auth.ok) return errorResponse(new GatewayError(auth.code, auth.message, auth.param));
    const allowed = authorizeKey(auth.entry, Date.now());
    if (!allowed.ok) return errorResponse(new GatewayError(allowed.code, allowed.message, allowed.param));
    const attributed = attributeModule(store, auth.entry, event.req.headers.get(moduleHeader));
    if (!attributed.ok) return errorResponse(new GatewayError(attributed.code, attributed.message, attributed.param));

    const data = [];
    for (const [name, entry] of store.modelsByName) {
      if (!orgMayUseModel(auth.entry, name) || !keyMayUseModel(auth.entry, name)) continue;
      if (!moduleMayUseModel(attributed.attribution, name)) continue;
      // The snapshot has no creation time; 0 keeps the field's type for SDKs that parse it.
      data.push({ id: name, object: 'model', created: 0, owned_by: entry.deployments[0]?.provider ?? 'gateway' });
    }
    data.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return jsonResponse({ object: 'list', data });
  };
}
