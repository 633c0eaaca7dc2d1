// A control plane runs most of its code for the first time on the first admin request after a start: Apollo's
// request pipeline, graphql-js validation, MikroORM's query building and the hydrators and comparators it generates
// per entity on first use. With 100,000 keys (`pnpm bench:scale`) that made the first key revoke's mutation take
// 110–170 ms against 20–50 ms for the next ones. Running those paths once before the server listens takes most of
// that off the first change after a start or a deploy. Read-only: nothing is written.
import type { ApolloServer } from '@apollo/server';
import { type Context, createContext, type Deps } from './context.ts';
import type { Em } from './db/orm.ts';
import { entities } from './modules/index.ts';

/** Loads at most one row of every entity in one transaction and flushes it unchanged; returns the entities read. */
export async function warmOrm(em: Em): Promise<number> {
  let read = 0;
  await em.transactional(async (tem) => {
    for (const entity of entities) {
      await tem.find(entity, {}, { limit: 1 });
      read++;
    }
    // Compares what was loaded against its snapshot: nothing changed, so nothing is written.
    await tem.flush();
  });
  return read;
}

export async function warmUp(apollo: ApolloServer<Context>, deps: Deps): Promise<void> {
  const started = performance.now();
  try {
    const read = await warmOrm(deps.orm.em.fork());
    await apollo.executeOperation(
      { query: 'query WarmUp { __typename }' },
      { contextValue: await createContext(null, deps) },
    );
    deps.logger.info({ entities: read, ms: Math.round(performance.now() - started) }, 'warmed up');
  } catch (err) {
    // Only a slower first request is at stake; a database outage shows in readiness.
    deps.logger.warn({ err: (err as Error).message }, 'warm-up failed');
  }
}
