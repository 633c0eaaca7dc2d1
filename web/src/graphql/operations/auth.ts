// Session operations: sign in, sign out, and who is signed in.
import { operation } from '../operation';
import type { AdminUser } from '../types';

const adminFields = 'id email role createdAt';

export const LoginMutation = operation<
  { login: { token: string; admin: AdminUser } },
  { email: string; password: string }
>(`mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token admin { ${adminFields} } }
}`);

export const LogoutMutation = operation<{ logout: boolean }>(`mutation Logout { logout }`);

export const MeQuery = operation<{ me: AdminUser | null }>(`query Me { me { ${adminFields} } }`);
