// The admin-users module: managing admin accounts (the table belongs to admin-auth).
import { defineModule } from '../module.ts';
import { AdminUserResolver } from './admin-user.resolver.ts';

export const adminUsersModule = defineModule({ name: 'admin-users', resolvers: [AdminUserResolver] });
