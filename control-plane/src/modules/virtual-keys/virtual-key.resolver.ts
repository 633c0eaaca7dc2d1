// GraphQL entry points for virtual keys: org admins create, change, rotate and revoke their org's keys.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import { createdLimits } from '../limits/created-limits.ts';
import { Organization } from '../organizations/organization.type.ts';
import { ProductModule } from '../product-modules/product-module.type.ts';
import { Team } from '../teams/team.type.ts';
import { User } from '../users/user.type.ts';
import type { VirtualKeyRecord } from './virtual-key.entity.ts';
import { CreateVirtualKeyInput, UpdateVirtualKeyInput, VirtualKeyFilter } from './virtual-key.input.ts';
import { VirtualKeyService } from './virtual-key.service.ts';
import {
  CreateVirtualKeyPayload,
  RotateVirtualKeyPayload,
  VirtualKey,
  VirtualKeyConnection,
} from './virtual-key.type.ts';

/** The key a mutation names (its scope already checked by the operation table). */
async function writableKey(ctx: Context, id: string): Promise<VirtualKeyRecord> {
  const key = await new VirtualKeyService(ctx.em).find(id);
  if (!key) throw notFound('id', `Virtual key ${id} does not exist`);
  return key;
}

@Resolver(() => VirtualKey)
export class VirtualKeyResolver {
  @Query(() => VirtualKeyConnection, { description: "One org's keys, or (platform admins, no orgId) every org's." })
  virtualKeys(
    @Arg('orgId', () => ID, { nullable: true }) orgId: string | null,
    @Arg('filter', () => VirtualKeyFilter, { nullable: true }) filter: VirtualKeyFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<VirtualKey>> {
    return new VirtualKeyService(ctx.em).list(orgId ?? adminOf(ctx).orgId, filter, page);
  }

  @Query(() => VirtualKey, { nullable: true, description: 'null when it does not exist or is out of scope.' })
  async virtualKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<VirtualKey | null> {
    const key = await new VirtualKeyService(ctx.em).find(id);
    return key ? VirtualKey.from(key) : null;
  }

  @Mutation(() => CreateVirtualKeyPayload)
  async createVirtualKey(
    @Arg('input', () => CreateVirtualKeyInput) input: CreateVirtualKeyInput,
    @Ctx() ctx: Context,
  ): Promise<CreateVirtualKeyPayload> {
    const limits = createdLimits(input.limits, adminOf(ctx));
    const { key, secret } = await new VirtualKeyService(ctx.em).create(actorOf(ctx), input, limits);
    return Object.assign(new CreateVirtualKeyPayload(), { virtualKey: VirtualKey.from(key), secret });
  }

  @Mutation(() => VirtualKey)
  async updateVirtualKey(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateVirtualKeyInput) input: UpdateVirtualKeyInput,
    @Ctx() ctx: Context,
  ): Promise<VirtualKey> {
    const key = await writableKey(ctx, id);
    return VirtualKey.from(await new VirtualKeyService(ctx.em).update(actorOf(ctx), key, input));
  }

  @Mutation(() => VirtualKey, { description: 'Idempotent. The key stops working on every data plane within a second.' })
  async revokeVirtualKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<VirtualKey> {
    const key = await writableKey(ctx, id);
    return VirtualKey.from(await new VirtualKeyService(ctx.em).revoke(actorOf(ctx), key));
  }

  @Mutation(() => RotateVirtualKeyPayload, {
    description:
      'Issues a new secret for the key. The old secret keeps working until previousSecretValidUntil (at most 30 ' +
      'days ahead); without it, the old secret stops at once.',
  })
  async rotateVirtualKey(
    @Arg('id', () => ID) id: string,
    @Arg('previousSecretValidUntil', () => DateTimeScalar, { nullable: true }) until: Date | null,
    @Ctx() ctx: Context,
  ): Promise<RotateVirtualKeyPayload> {
    const existing = await writableKey(ctx, id);
    const { key, secret } = await new VirtualKeyService(ctx.em).rotate(actorOf(ctx), existing, until ?? null);
    return Object.assign(new RotateVirtualKeyPayload(), { virtualKey: VirtualKey.from(key), secret });
  }

  @FieldResolver(() => Organization)
  async organization(@Root() key: VirtualKey, @Ctx() ctx: Context): Promise<Organization> {
    const org = await ctx.loaders.orgById.load(key.orgId);
    if (!org) throw notFound(undefined, `Organization ${key.orgId} does not exist`);
    return Organization.from(org);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The owning user; null for team-owned keys.' })
  async user(@Root() key: VirtualKey, @Ctx() ctx: Context): Promise<User | null> {
    const user = key.userId ? await ctx.loaders.userById.load(key.userId) : null;
    return user ? User.from(user) : null;
  }

  @FieldResolver(() => Team, { nullable: true, description: 'The owning team, or the attribution team.' })
  async team(@Root() key: VirtualKey, @Ctx() ctx: Context): Promise<Team | null> {
    const team = key.teamId ? await ctx.loaders.teamById.load(key.teamId) : null;
    return team ? Team.from(team) : null;
  }

  @FieldResolver(() => ProductModule, { nullable: true })
  async module(@Root() key: VirtualKey, @Ctx() ctx: Context): Promise<ProductModule | null> {
    const m = key.moduleId ? await ctx.loaders.moduleById.load(key.moduleId) : null;
    return m ? ProductModule.from(m) : null;
  }
}
