// The end-to-end harness: real PostgreSQL, control plane and data planes as processes, GraphQL client and seeding.
export {
  type ControlPlane,
  type ControlPlaneOptions,
  type ControlPlaneSecrets,
  startControlPlane,
} from './control-plane.ts';
export { type DataPlane, type DataPlaneOptions, isUp, type ReadyBody, startDataPlane } from './data-plane.ts';
export { type FixtureProcess, startFixtureProcess } from './fixture-process.ts';
export { type Gql, GraphQLRequestError, gql, gqlClient } from './gql.ts';
export { freePort } from './ports.ts';
export { startPostgres, type TestDatabase } from './postgres.ts';
export { ManagedProcess, type ProcessSpec } from './process.ts';
export {
  type CreatedKey,
  createKey,
  createModel,
  createModule,
  type DeploymentSpec,
  type KeySpec,
  type ModelSpec,
  revokeKey,
  rotateKey,
  type Seeded,
  seed,
} from './seed.ts';
export { Teardown } from './teardown.ts';
export { httpStatus, sleep, waitFor } from './wait.ts';
