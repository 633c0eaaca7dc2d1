// GraphQL entry points for the module catalogue and per-org enablements: platform admins manage both; org roles
// see the modules enabled for their own org.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { OrgModuleService } from './org-module.service.ts';
import { CreateModuleInput, ModuleEnablementInput, ModuleFilter, UpdateModuleInput } from './product-module.input.ts';
import { ProductModuleService } from './product-module.service.ts';
import { ModuleConnection, OrgModule, ProductModule } from './product-module.type.ts';

@Resolver(() => ProductModule)
export class ProductModuleResolver {
  @Query(() => ModuleConnection, {
    description: 'The whole catalogue for platform admins; for an org role, the modules enabled for its org.',
  })
  modules(
    @Arg('filter', () => ModuleFilter, { nullable: true }) filter: ModuleFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<ProductModule>> {
    return new ProductModuleService(ctx.em).list(adminOf(ctx).orgId, filter, page);
  }

  @Query(() => ProductModule, { nullable: true, description: 'null when it does not exist or is out of scope.' })
  async module(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ProductModule | null> {
    const caller = adminOf(ctx);
    const service = new ProductModuleService(ctx.em);
    const m = await service.find(id);
    if (!m) return null;
    if (caller.orgId && !(await service.enabledFor(m.id, caller.orgId))) return null;
    return ProductModule.from(m);
  }

  @Mutation(() => ProductModule, { description: 'Platform admins.' })
  async createModule(
    @Arg('input', () => CreateModuleInput) input: CreateModuleInput,
    @Ctx() ctx: Context,
  ): Promise<ProductModule> {
    return ProductModule.from(await new ProductModuleService(ctx.em).create(actorOf(ctx), input));
  }

  @Mutation(() => ProductModule, { description: 'Name and description; the key never changes. Platform admins.' })
  async updateModule(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateModuleInput) input: UpdateModuleInput,
    @Ctx() ctx: Context,
  ): Promise<ProductModule> {
    return ProductModule.from(await new ProductModuleService(ctx.em).update(actorOf(ctx), id, input));
  }

  @Mutation(() => ProductModule, {
    description: 'Requests attributed to the module are refused everywhere within a second. Platform admins.',
  })
  async suspendModule(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ProductModule> {
    return ProductModule.from(await new ProductModuleService(ctx.em).setStatus(actorOf(ctx), id, 'suspended'));
  }

  @Mutation(() => ProductModule, { description: 'Platform admins.' })
  async reactivateModule(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ProductModule> {
    return ProductModule.from(await new ProductModuleService(ctx.em).setStatus(actorOf(ctx), id, 'active'));
  }

  @Mutation(() => ID, {
    description:
      'Soft delete: removes the module from the catalogue and every org, and revokes the keys bound to it; usage ' +
      'history keeps its id. Answers the id. Platform admins.',
  })
  deleteModule(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return new ProductModuleService(ctx.em).delete(actorOf(ctx), id);
  }

  @Mutation(() => OrgModule, { description: 'Enables a module for an org. Platform admins.' })
  async enableModule(
    @Arg('input', () => ModuleEnablementInput) input: ModuleEnablementInput,
    @Ctx() ctx: Context,
  ): Promise<OrgModule> {
    return OrgModule.from(await new OrgModuleService(ctx.em).enable(actorOf(ctx), input));
  }

  @Mutation(() => OrgModule, { description: "Changes an enabled module's model restriction. Platform admins." })
  async updateModuleEnablement(
    @Arg('input', () => ModuleEnablementInput) input: ModuleEnablementInput,
    @Ctx() ctx: Context,
  ): Promise<OrgModule> {
    return OrgModule.from(await new OrgModuleService(ctx.em).update(actorOf(ctx), input));
  }

  @Mutation(() => Boolean, {
    description:
      'Idempotent; true when the module was enabled. Keys of the org bound to it are refused until it is enabled ' +
      'again. Platform admins.',
  })
  disableModule(
    @Arg('orgId', () => ID) orgId: string,
    @Arg('moduleId', () => ID) moduleId: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return new OrgModuleService(ctx.em).disable(actorOf(ctx), orgId, moduleId);
  }
}

@Resolver(() => OrgModule)
export class OrgModuleResolver {
  @FieldResolver(() => ProductModule)
  async module(@Root() enabled: OrgModule, @Ctx() ctx: Context): Promise<ProductModule> {
    const m = await ctx.loaders.moduleById.load(enabled.moduleId);
    if (!m) throw notFound(undefined, `Module ${enabled.moduleId} does not exist`);
    return ProductModule.from(m);
  }
}
