// The policy stages that read only the snapshot: admit, authorize, route. Each is a module-level function over the
// store and the request's context that writes what it decided onto the context and returns one Decision.
import { authenticate } from '../policy/authenticate.ts';
import { authorizeKey, authorizeModel } from '../policy/authorize.ts';
import { allow, type Decision } from '../policy/decision.ts';
import { attributeModule } from '../policy/module.ts';
import { route as chooseDeployment } from '../policy/route.ts';
import { providerFor } from '../providers/registry.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import type { RequestContext } from './context.ts';

/**
 * Who is calling and may they act now: the key (missing, unknown, revoked), its expiry or rotation grace at the
 * request's arrival, the status of its org, team and user, and the module the request is attributed to (the key's
 * binding or x-gateway-module). Sets `key`, `attribution`, `moduleId`. Runs before the body is read.
 */
export function admit(store: SnapshotStore, ctx: RequestContext): Decision {
  const auth = authenticate(store, ctx.apiKey);
  if (!auth.ok) return auth;
  const key = auth.entry;
  ctx.key = key;
  const active = authorizeKey(key, ctx.startedAtMs);
  if (!active.ok) return active;
  const attributed = attributeModule(store, key, ctx.moduleHeader);
  if (!attributed.ok) return attributed;
  ctx.attribution = attributed.attribution;
  ctx.moduleId = attributed.attribution?.module.id ?? null;
  return allow;
}

/** May the admitted key use the requested model (`ctx.model`): the model exists, the org's, key's and module's lists. */
export function authorize(store: SnapshotStore, ctx: RequestContext): Decision {
  const allowed = authorizeModel(store, ctx.key!, ctx.model, ctx.attribution);
  if (!allowed.ok) return allowed;
  ctx.modelEntry = allowed.model;
  return allow;
}

/**
 * Which deployment serves the request: weighted by `ctx.routeDraw`. Sets `target`, `adapter`, `provider`,
 * `upstreamModel`. Multi-provider routing (fallbacks, health) fills this stage; a model with no usable deployment
 * would be refused here.
 */
export function route(_store: SnapshotStore, ctx: RequestContext): Decision {
  const target = chooseDeployment(ctx.modelEntry!, ctx.routeDraw);
  ctx.target = target;
  ctx.adapter = providerFor(target.provider);
  ctx.provider = target.provider;
  ctx.upstreamModel = target.deployment.upstreamModel;
  return allow;
}
