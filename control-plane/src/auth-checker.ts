// type-graphql's @Authorized gate: which caller kinds may use a field; failures become UNAUTHENTICATED/FORBIDDEN.
import type { AuthCheckerFn } from 'type-graphql';
import type { Context } from './context.ts';
import { forbidden, unauthenticated } from './errors.ts';

export type Role = 'admin' | 'data-plane';

/** Throws typed errors instead of returning false, so clients get the precise code. */
export const authChecker: AuthCheckerFn<Context, Role> = ({ context }, roles) => {
  assertRole(context, roles);
  return true;
};

export function assertRole(context: Context, roles: Role[]): void {
  const { caller } = context;
  if (caller.kind === 'anonymous') {
    throw unauthenticated(caller.reason === 'missing' ? 'Authentication required' : 'Invalid or expired token');
  }
  if (roles.length > 0 && !roles.includes(caller.kind)) {
    throw forbidden(
      caller.kind === 'data-plane'
        ? 'The data-plane token cannot use this field'
        : 'Only data planes may use this field',
    );
  }
}
