// Config change capture in the database: a write changes the config version exactly when it changes a column the
// snapshot reads, once per transaction, with the (kind, id) of what it touched logged under that version.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.ts';
import { configChannel } from './config-change.ts';
import { createOrm, type Orm } from './orm.ts';

let db: TestDatabase;
let orm: Orm;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await createOrm(db.url, pino({ level: 'silent' }));
  await orm.migrator.up();
});
afterAll(async () => {
  await orm?.close();
  await db?.drop();
});

const version = async () => Number((await db.query('select version from config_state'))[0].version);
const changesAt = async (v: number) =>
  (await db.query<{ kind: string; id: string }>('select kind, id from config_changes where version = $1', [v]))
    .map((r) => `${r.kind}:${r.id}`)
    .sort();

async function newOrg(name: string): Promise<string> {
  const id = randomUUID();
  await db.query(`insert into organizations (id, name, slug) values ($1, $2, $3)`, [id, name, `s-${id}`]);
  return id;
}

describe('config change capture', () => {
  it('bumps the version only for columns the snapshot reads, and logs the resource', async () => {
    const org = await newOrg('Capture');
    const v0 = await version();
    expect(await changesAt(v0)).toEqual([`orgs:${org}`]);
    // The slug is not in the snapshot; an update to the same status changes nothing.
    await db.query(`update organizations set slug = 'other-slug' where id = $1`, [org]);
    await db.query(`update organizations set status = 'active' where id = $1`, [org]);
    expect(await version()).toBe(v0);
    await db.query(`update organizations set status = 'suspended' where id = $1`, [org]);
    expect(await version()).toBe(v0 + 1);
    expect(await changesAt(v0 + 1)).toEqual([`orgs:${org}`]);
  });

  it('maps membership, deployment and access rows to the resource they change', async () => {
    const org = await newOrg('Links');
    const team = randomUUID();
    const user = randomUUID();
    await db.query(`insert into teams (id, org_id, name) values ($1, $2, 'T')`, [team, org]);
    await db.query(`insert into users (id, org_id, email) values ($1, $2, 'a@b.c')`, [user, org]);
    await db.query(`insert into user_teams (user_id, team_id) values ($1, $2)`, [user, team]);
    expect(await changesAt(await version())).toEqual([`users:${user}`]);
    await db.query(`insert into org_model_access (org_id) values ($1)`, [org]);
    expect(await changesAt(await version())).toEqual([`orgs:${org}`]);
  });

  it('counts one version per transaction, stamps all its rows and notifies it once, at commit', async () => {
    const listener = new pg.Client(db.url);
    await listener.connect();
    const notified: string[] = [];
    listener.on('notification', (n) => n.channel === configChannel && notified.push(n.payload ?? ''));
    await listener.query(`listen ${configChannel}`);
    const client = new pg.Client(db.url);
    await client.connect();
    try {
      const v0 = await version();
      const a = randomUUID();
      const b = randomUUID();
      await client.query('begin');
      await client.query(`insert into organizations (id, name, slug) values ($1, 'A', $3), ($2, 'B', $4)`, [
        a,
        b,
        a,
        b,
      ]);
      await client.query(`update organizations set name = 'A2' where id = $1`, [a]);
      // Uncommitted: neither the version nor the log show it.
      expect(await version()).toBe(v0);
      await client.query('commit');
      expect(await version()).toBe(v0 + 1);
      expect(new Set(await changesAt(v0 + 1))).toEqual(new Set([`orgs:${a}`, `orgs:${b}`]));
      await vi.waitFor(() => expect(notified).toEqual([String(v0 + 1)]));
      // A rolled back change leaves nothing; a revoked key's further changes are not config changes.
      await client.query('begin');
      await client.query(`update organizations set name = 'gone' where id = $1`, [a]);
      await client.query('rollback');
      expect(await version()).toBe(v0 + 1);
      expect((await db.query('select count(*)::int as n from config_changes where version is null'))[0].n).toBe(0);
    } finally {
      await client.end();
      await listener.end();
    }
  });

  it('skips rows the snapshot never holds (revoked keys, deleted teams)', async () => {
    const org = await newOrg('Skips');
    const team = randomUUID();
    await db.query(`insert into teams (id, org_id, name) values ($1, $2, 'T')`, [team, org]);
    await db.query(`update teams set deleted_at = now() where id = $1`, [team]);
    const v = await version();
    expect(await changesAt(v)).toEqual([`teams:${team}`]);
    await db.query(`update teams set name = 'renamed' where id = $1`, [team]);
    expect(await version()).toBe(v);
  });
});
