// GraphQL entry points for models and their deployments. Platform admins manage the catalogue and see where each
// model routes; org admins and viewers see the models their org may use (names and prices) and nothing else.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import { ProviderCredential } from '../provider-credentials/provider-credential.type.ts';
import {
  AddModelDeploymentInput,
  CreateModelInput,
  ModelFilter,
  UpdateModelDeploymentInput,
  UpdateModelInput,
} from './model.input.ts';
import { ModelService } from './model.service.ts';
import { Model, ModelConnection, ModelDeployment } from './model.type.ts';

@Resolver(() => Model)
export class ModelResolver {
  @Query(() => ModelConnection, {
    description:
      'By name. Platform admins: the whole catalogue, or with orgId the models that org may use. ' +
      'Org admins and viewers: the models their own org may use (orgId, if given, must be theirs).',
  })
  async models(
    @Arg('orgId', () => ID, { nullable: true }) orgId: string | null,
    @Arg('filter', () => ModelFilter, { nullable: true }) filter: ModelFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Model>> {
    const scope = orgId ?? adminOf(ctx).orgId;
    if (scope) await new OrganizationService(ctx.em).require(scope, 'orgId');
    const onlyIds = scope ? await ctx.loaders.allowedModelIdsByOrg.load(scope) : null;
    return new ModelService(ctx.em).list(onlyIds, filter, page);
  }

  @Query(() => Model, {
    nullable: true,
    description: 'null when it does not exist, or (for org roles) when their org may not use it.',
  })
  async model(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Model | null> {
    const caller = adminOf(ctx);
    const found = await new ModelService(ctx.em).find(id);
    if (!found) return null;
    if (caller.orgId) {
      const allowed = await ctx.loaders.allowedModelIdsByOrg.load(caller.orgId);
      if (allowed && !allowed.includes(found.id)) return null;
    }
    return Model.from(found);
  }

  @FieldResolver(() => [ModelDeployment], {
    description: 'Where the model routes, oldest first. Platform admins only (FORBIDDEN for org roles).',
  })
  async deployments(@Root() model: Model, @Ctx() ctx: Context): Promise<ModelDeployment[]> {
    return (await ctx.loaders.deploymentsByModel.load(model.id)).map(ModelDeployment.from);
  }

  @Mutation(() => Model)
  async createModel(
    @Arg('input', () => CreateModelInput) input: CreateModelInput,
    @Ctx() ctx: Context,
  ): Promise<Model> {
    return Model.from(await new ModelService(ctx.em).create(actorOf(ctx), input));
  }

  @Mutation(() => Model, { description: 'Changes prices; the name is fixed.' })
  async updateModel(
    @Arg('input', () => UpdateModelInput) input: UpdateModelInput,
    @Ctx() ctx: Context,
  ): Promise<Model> {
    return Model.from(await new ModelService(ctx.em).update(actorOf(ctx), input));
  }

  @Mutation(() => Model, {
    description: 'Returns the deleted model. Its deployments and org availability entries go with it.',
  })
  async deleteModel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Model> {
    return Model.from(await new ModelService(ctx.em).delete(actorOf(ctx), id));
  }

  @Mutation(() => Model, { description: 'Adds a weighted deployment; returns the model.' })
  async addModelDeployment(
    @Arg('input', () => AddModelDeploymentInput) input: AddModelDeploymentInput,
    @Ctx() ctx: Context,
  ): Promise<Model> {
    return Model.from(await new ModelService(ctx.em).addDeployment(actorOf(ctx), input));
  }

  @Mutation(() => Model, { description: 'Reweights or repoints a deployment; returns its model.' })
  async updateModelDeployment(
    @Arg('input', () => UpdateModelDeploymentInput) input: UpdateModelDeploymentInput,
    @Ctx() ctx: Context,
  ): Promise<Model> {
    return Model.from(await new ModelService(ctx.em).updateDeployment(actorOf(ctx), input));
  }

  @Mutation(() => Model, {
    description: 'Removes a deployment; returns its model. CONFLICT for the last one (delete the model instead).',
  })
  async removeModelDeployment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Model> {
    return Model.from(await new ModelService(ctx.em).removeDeployment(actorOf(ctx), id));
  }
}

@Resolver(() => ModelDeployment)
export class ModelDeploymentResolver {
  @FieldResolver(() => ProviderCredential, { description: 'Its name, provider, base URL and masked hint.' })
  async credential(@Root() deployment: ModelDeployment, @Ctx() ctx: Context): Promise<ProviderCredential> {
    const c = await ctx.loaders.credentialById.load(deployment.credentialId);
    // The foreign key guarantees it; a miss would be a bug worth a loud error.
    if (!c) throw new Error(`credential ${deployment.credentialId} of deployment ${deployment.id} is missing`);
    return ProviderCredential.from(c);
  }
}
