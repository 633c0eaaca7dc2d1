// Fuzzes the control plane's GraphQL API with operations built from its own introspected schema: over HTTP as the
// org admin, anonymously and with bogus tokens; over graphql-ws as the org admin (checking that what HTTP refuses
// for depth or cost WebSocket refuses too); and graphql-ws itself with odd handshakes and messages. A run fails on
// a 5xx, an INTERNAL_SERVER_ERROR or uncoded error, a stack trace, an error-level log line, a crash, a hang or an
// unexpected close; the closing check fails when usage stops reaching PostgreSQL.
import fc from 'fast-check';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../harness/gql.ts';
import {
  foundInGraphQLOverHttp,
  foundInGraphQLOverWs,
  foundInGraphQLWsProtocol,
  refusedSubscriptionsOverWs,
} from './found.ts';
import { expectNothingBroke, type FuzzStack, startFuzzStack } from './fuzz-stack.ts';
import { type DocumentOptions, type GeneratedOperation, operation } from './graphql-documents.ts';
import { type GraphQLInput, graphqlInput } from './graphql-requests.ts';
import { AdminSocket, runHttpInput, runWsOperation, runWsProtocol, type WsProtocolInput } from './graphql-run.ts';
import { wsHandshake, wsMessages } from './graphql-ws-inputs.ts';
import { FuzzCheck, fuzzParameters, fuzzRuns, fuzzTimeout } from './settings.ts';

const httpRuns = fuzzRuns(1000);
const wsRuns = fuzzRuns(600);
const protocolRuns = fuzzRuns(300);

let f: FuzzStack;
let documents: DocumentOptions;

beforeAll(async () => {
  f = await startFuzzStack('fuzz-graphql');
  const introspection = await gql<IntrospectionQuery>(
    f.stack.cp.graphqlUrl,
    f.stack.cp.adminToken,
    getIntrospectionQuery(),
  );
  // `logout` would end the session the fuzzer works with; the admin's own id is not among the ids either.
  documents = { schema: buildClientSchema(introspection), ids: f.knownIds, skipRootFields: ['logout'] };
});
afterAll(() => f?.stop());

/** Runs a property of `runs` runs of `run`, then prints how long it took. */
async function fuzz<T>(label: string, runs: number, input: fc.Arbitrary<T>, run: (x: T) => Promise<void>) {
  const checks = new FuzzCheck<T>();
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(input, (x) => checks.run(x, () => run(x))),
    fuzzParameters(runs),
  );
  console.log(`${label}: ${runs} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  checks.finish();
}

describe('what fuzzing GraphQL found', () => {
  it.each(foundInGraphQLOverHttp)('over HTTP: $name', async ({ input }) => {
    await runHttpInput(f, input);
  });

  it.each(foundInGraphQLOverWs)('$name', async ({ input }) => {
    const socket = new AdminSocket(f);
    try {
      await runWsOperation(f, socket, input);
    } finally {
      socket.close();
    }
  });

  it.each(refusedSubscriptionsOverWs)('$name', async ({ input }) => {
    const socket = new AdminSocket(f);
    try {
      await runWsOperation(f, socket, input, { expectAnswer: true });
    } finally {
      socket.close();
    }
  });

  // Built per test: the cases carry the org admin's token, known only once the stack is up.
  it.each(foundInGraphQLWsProtocol('').map((c, i) => ({ ...c, i })))('$name', async ({ i }) => {
    await runWsProtocol(f, foundInGraphQLWsProtocol(f.orgAdmin.token)[i].input);
  });
});

describe('GraphQL fuzzing', () => {
  it(
    `answers ${httpRuns} random operations over HTTP with no 5xx, no internal error and no error log`,
    () =>
      fuzz<GraphQLInput>('GraphQL over HTTP fuzz', httpRuns, graphqlInput(documents), (input) =>
        runHttpInput(f, input),
      ),
    fuzzTimeout(httpRuns, 150),
  );

  it(
    `answers ${wsRuns} random operations over graphql-ws like HTTP: no internal error, same depth and cost limits`,
    async () => {
      const socket = new AdminSocket(f);
      try {
        await fuzz<GeneratedOperation>('GraphQL over graphql-ws fuzz', wsRuns, operation(documents), (op) =>
          runWsOperation(f, socket, op),
        );
      } finally {
        socket.close();
      }
    },
    fuzzTimeout(wsRuns, 300),
  );

  it(
    `handles ${protocolRuns} odd graphql-ws handshakes and messages with a clean close at worst`,
    () =>
      fuzz<WsProtocolInput>(
        'graphql-ws protocol fuzz',
        protocolRuns,
        fc.record({ init: wsHandshake(f.orgAdmin.token), messages: wsMessages(documents) }),
        (x) => runWsProtocol(f, x),
      ),
    fuzzTimeout(protocolRuns, 300),
  );

  it('leaves the org admin signed in, every process up, no error-level line behind, and usage flowing', async () => {
    const { me } = await gql<{ me: { id: string } | null }>(f.stack.cp.graphqlUrl, f.orgAdmin.token, '{ me { id } }');
    // Otherwise the runs above fuzzed as nobody: the generator must not end its own session.
    expect(me?.id).toBe(f.orgAdmin.id);
    await expectNothingBroke(f);
  });
});
