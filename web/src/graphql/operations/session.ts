// Session operations: sign in, sign out, and who is signed in (with the role and org the UI adapts to).
import { graphql } from '../generated';

export const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      admin { id email name role orgId }
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

export const MeQuery = graphql(`
  query Me {
    me { id email name role orgId }
  }
`);
