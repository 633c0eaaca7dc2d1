// The admin-auth module: admin users and sessions (tables) and login, logout, me.
import { defineModule } from '../module.ts';
import { AdminAuthResolver } from './admin-auth.resolver.ts';
import { AdminSessionEntity, AdminUserEntity } from './admin-user.entity.ts';

export const adminAuthModule = defineModule({
  name: 'admin-auth',
  entities: [AdminUserEntity, AdminSessionEntity],
  resolvers: [AdminAuthResolver],
});
