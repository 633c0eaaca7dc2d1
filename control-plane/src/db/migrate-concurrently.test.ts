// Replicas starting (or upgrading) together on one database: every one migrates without error, each migration once.
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.ts';
import { migrationsList } from './migrations/index.ts';
import { closeOrm, createOrm, migrate, type Orm } from './orm.ts';

const replicas = 4;
const silent = pino({ level: 'silent' });

let db: TestDatabase;
let orms: Orm[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  orms = await Promise.all(Array.from({ length: replicas }, () => createOrm(db.url, silent)));
});
afterEach(async () => {
  await Promise.all(orms.map((orm) => closeOrm(orm)));
  await db.drop();
});

async function appliedNames(): Promise<string[]> {
  const rows = await db.query<{ name: string }>('select name from mikro_orm_migrations order by id');
  return rows.map((r) => r.name);
}

describe('migrate on several replicas at once', () => {
  it('a fresh database: all succeed and each migration is recorded once', async () => {
    const results = await Promise.allSettled(orms.map((orm) => migrate(orm, silent)));
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(Array(replicas).fill('ok'));
    expect(await appliedNames()).toEqual(migrationsList.map((m) => m.name));
  });

  it('an upgrade from an older schema: all succeed and the new migrations are recorded once', async () => {
    const older = migrationsList[2].name;
    await orms[0].migrator.up({ to: older });
    const results = await Promise.allSettled(orms.map((orm) => migrate(orm, silent)));
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(Array(replicas).fill('ok'));
    expect(await appliedNames()).toEqual(migrationsList.map((m) => m.name));
  });
});
