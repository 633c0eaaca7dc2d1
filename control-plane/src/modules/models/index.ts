// The models module: the model catalogue and deployments (tables), per-org model access (Organization.modelAccess), and
// the catalogue's loaders.
import { defineModule } from '../module.ts';
import { ModelEntity } from './model.entity.ts';
import { ModelDeploymentResolver, ModelResolver } from './model.resolver.ts';
import { ModelDeploymentEntity } from './model-deployment.entity.ts';
import { modelLoaders } from './model-loaders.ts';
import { OrganizationModelAccessResolver, OrgModelAccessResolver } from './org-model-access.resolver.ts';

export const modelsModule = defineModule({
  name: 'models',
  entities: [ModelEntity, ModelDeploymentEntity],
  resolvers: [ModelResolver, ModelDeploymentResolver, OrganizationModelAccessResolver, OrgModelAccessResolver],
  loaders: modelLoaders,
});
