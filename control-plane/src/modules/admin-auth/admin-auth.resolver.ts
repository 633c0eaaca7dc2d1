// GraphQL entry points for admin login, logout and the current admin.
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { AdminAuthService } from './admin-auth.service.ts';
import { AdminUser, LoginPayload } from './admin-user.type.ts';

@Resolver()
export class AdminAuthResolver {
  @Mutation(() => LoginPayload, { description: 'Open to anyone; wrong credentials give UNAUTHENTICATED.' })
  async login(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<LoginPayload> {
    const { token, admin } = await new AdminAuthService(ctx.em).login(email, password, ctx.remote);
    return Object.assign(new LoginPayload(), { token, admin: AdminUser.from(admin) });
  }

  @Mutation(() => Boolean, {
    description: 'Ends the session of the calling token (a no-op for API tokens and ADMIN_TOKEN).',
  })
  async logout(@Ctx() ctx: Context): Promise<boolean> {
    const caller = adminOf(ctx);
    if (caller.sessionHash)
      await new AdminAuthService(ctx.em).logout(caller.principal, caller.sessionHash, caller.orgId);
    return true;
  }

  @Query(() => AdminUser, {
    nullable: true,
    description: 'The logged-in admin; null when not logged in or when using the static ADMIN_TOKEN.',
  })
  async me(@Ctx() ctx: Context): Promise<AdminUser | null> {
    // The operation table answers null for anyone but a logged-in admin user.
    const admin = await new AdminAuthService(ctx.em).findAdmin(adminOf(ctx).principal.id!);
    return admin ? AdminUser.from(admin) : null;
  }
}
