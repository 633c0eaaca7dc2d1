// GraphQL entry points for admin users: list and manage them within the caller's scope, change one's password.
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { verifyPassword } from '../../crypto/password.ts';
import { notFound, unauthenticated } from '../../errors.ts';
import { type ConnectionShape, connectionType, PageArgs } from '../../graphql/connection.ts';
import type { AdminUserRecord } from '../admin-auth/admin-user.entity.ts';
import { AdminUser } from '../admin-auth/admin-user.type.ts';
import { AdminUserFilter, CreateAdminUserInput, UpdateAdminUserInput } from './admin-user.input.ts';
import { AdminUserService } from './admin-user.service.ts';

const AdminUserConnection = connectionType(AdminUser, 'AdminUser');

@Resolver()
export class AdminUserResolver {
  @Query(() => AdminUserConnection, {
    description: 'With orgId: that org’s admins and viewers. Without: every admin (platform admins only).',
  })
  adminUsers(
    @Arg('orgId', () => ID, { nullable: true }) orgId: string | null,
    @Arg('filter', () => AdminUserFilter, { nullable: true }) filter: AdminUserFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<AdminUser>> {
    return new AdminUserService(ctx.em).list(orgId ?? undefined, filter, page);
  }

  @Mutation(() => AdminUser, { description: 'Org admins may add admins and viewers to their own org.' })
  async createAdminUser(
    @Arg('input', () => CreateAdminUserInput) input: CreateAdminUserInput,
    @Ctx() ctx: Context,
  ): Promise<AdminUser> {
    return AdminUser.from(await new AdminUserService(ctx.em).create(actorOf(ctx), input));
  }

  @Mutation(() => AdminUser)
  async updateAdminUser(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateAdminUserInput) input: UpdateAdminUserInput,
    @Ctx() ctx: Context,
  ): Promise<AdminUser> {
    const { service, admin } = await this.#target(ctx, id);
    return AdminUser.from(await service.update(actorOf(ctx), admin, input));
  }

  @Mutation(() => Boolean)
  async deleteAdminUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const { service, admin } = await this.#target(ctx, id);
    await service.delete(actorOf(ctx), admin);
    return true;
  }

  @Mutation(() => Boolean, { description: 'The logged-in admin’s own password; other sessions stay valid.' })
  async changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    const caller = adminOf(ctx);
    const service = new AdminUserService(ctx.em);
    const admin = await service.find(caller.principal.id!);
    if (!admin || !(await verifyPassword(currentPassword, admin.passwordHash))) {
      throw unauthenticated('The current password is wrong');
    }
    await service.changeOwnPassword(caller.principal, admin, newPassword);
    return true;
  }

  /** The admin to change (its scope already checked by the operation table). */
  async #target(ctx: Context, id: string): Promise<{ service: AdminUserService; admin: AdminUserRecord }> {
    const service = new AdminUserService(ctx.em);
    const admin = await service.find(id);
    if (!admin) throw notFound('id', `Admin user ${id} does not exist`);
    return { service, admin };
  }
}
