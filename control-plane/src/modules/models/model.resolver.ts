// GraphQL entry points for models.
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.ts';
import { CreateModelInput } from './model.input.ts';
import { ModelService } from './model.service.ts';
import { Model } from './model.type.ts';

@Resolver(() => Model)
export class ModelResolver {
  @Authorized('admin')
  @Query(() => [Model])
  async models(@Ctx() ctx: Context): Promise<Model[]> {
    return (await new ModelService(ctx.em, ctx.deps.secretBox).list()).map(Model.from);
  }

  @Authorized('admin')
  @Mutation(() => Model)
  async createModel(
    @Arg('input', () => CreateModelInput) input: CreateModelInput,
    @Ctx() ctx: Context,
  ): Promise<Model> {
    return Model.from(await new ModelService(ctx.em, ctx.deps.secretBox).create(input));
  }
}
