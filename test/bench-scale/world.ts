// The scale benchmark's world (orgs, teams, users, virtual keys), written straight into the tables with set-based SQL
// (insert … select generate_series): the rows the control plane's services would write, in seconds instead of hours.
// Ids and key secrets are derived from the row's index, so the benchmark can name any key and send its secret.
import { createHash } from 'node:crypto';
import type pg from 'pg';

export interface WorldShape {
  orgs: number;
  teamsPerOrg: number;
  usersPerOrg: number;
  keysPerOrg: number;
}

export interface WorldCounts {
  orgs: number;
  teams: number;
  users: number;
  userTeams: number;
  keys: number;
}

export const scaleShape: WorldShape = { orgs: 1_000, teamsPerOrg: 5, usersPerOrg: 10, keysPerOrg: 100 };

export function worldCounts(shape: WorldShape): WorldCounts {
  const users = shape.orgs * shape.usersPerOrg;
  return {
    orgs: shape.orgs,
    teams: shape.orgs * shape.teamsPerOrg,
    users,
    userTeams: users,
    keys: shape.orgs * shape.keysPerOrg,
  };
}

export type Kind = 'org' | 'team' | 'user' | 'key';

/** A version-4-shaped UUID from md5(kind-index): the same in SQL (`pg_temp.scale_id`) and here. */
export function scaleId(kind: Kind, index: number): string {
  const h = createHash('md5').update(`${kind}-${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Key `index`'s secret: `sk-gw-` + 40 lowercase hex digits (a subset of the base62 the control plane draws from). */
export function keySecret(index: number): string {
  const h = (s: string) => createHash('md5').update(s).digest('hex');
  return `sk-gw-${(h(`secret-a-${index}`) + h(`secret-b-${index}`)).slice(0, 40)}`;
}

export function keyHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Global index of key `j` of org `o` (keys of one org are consecutive). */
export const keyIndex = (shape: WorldShape, org: number, j: number) => org * shape.keysPerOrg + j;

/** The org a key belongs to. */
export const keyOrg = (shape: WorldShape, key: number) => Math.floor(key / shape.keysPerOrg);

// Every id is derived from its index, by the same formula as scaleId() above.
const functions = `
  create function pg_temp.scale_id(kind text, i bigint) returns uuid language sql immutable as $$
    select (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-'
            || substr(h, 21, 12))::uuid
      from (select md5(kind || '-' || i) as h) x
  $$;
  create function pg_temp.scale_secret(i bigint) returns text language sql immutable as $$
    select 'sk-gw-' || substr(md5('secret-a-' || i) || md5('secret-b-' || i), 1, 40)
  $$;
`;

/**
 * Inserts the world in one transaction, then bumps config_state.version once (as a config change does). Row
 * triggers are skipped during the bulk insert (session_replication_role = replica: no per-row change capture and no
 * foreign-key checks; the ids are consistent by construction): run it while no control plane is running, so the
 * next one to start reads the whole world. Returns the new config version.
 *
 * Shape of what the services write: every user is in one team of their org (user j in team j mod teamsPerOrg); every
 * key is owned by a user (key j by user j mod usersPerOrg) and attributed to that user's team; no expiry, no model
 * restriction, no module.
 */
export async function seedWorld(pool: pg.Pool, shape: WorldShape): Promise<number> {
  const { orgs, teamsPerOrg: t, usersPerOrg: u, keysPerOrg: k } = shape;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(functions);
    await client.query('set local session_replication_role = replica');
    await client.query(
      `insert into organizations (id, name, slug, status)
       select pg_temp.scale_id('org', o), 'Scale Org ' || o, 'scale-org-' || o, 'active'
         from generate_series(0, $1::int - 1) o`,
      [orgs],
    );
    await client.query(
      `insert into teams (id, org_id, name, status)
       select pg_temp.scale_id('team', o * $2::int + j), pg_temp.scale_id('org', o), 'Team ' || j, 'active'
         from generate_series(0, $1::int - 1) o, generate_series(0, $2::int - 1) j`,
      [orgs, t],
    );
    await client.query(
      `insert into users (id, org_id, email, name, status)
       select pg_temp.scale_id('user', o * $2::int + j), pg_temp.scale_id('org', o),
              'user' || j || '@org' || o || '.scale.test', 'User ' || j || ' of org ' || o, 'active'
         from generate_series(0, $1::int - 1) o, generate_series(0, $2::int - 1) j`,
      [orgs, u],
    );
    await client.query(
      `insert into user_teams (user_id, team_id)
       select pg_temp.scale_id('user', o * $2::int + j), pg_temp.scale_id('team', o * $3::int + j % $3::int)
         from generate_series(0, $1::int - 1) o, generate_series(0, $2::int - 1) j`,
      [orgs, u, t],
    );
    await client.query(
      `insert into virtual_keys (id, org_id, team_id, user_id, name, prefix, key_hash)
       select pg_temp.scale_id('key', i), pg_temp.scale_id('org', o),
              pg_temp.scale_id('team', o * $3::int + (j % $2::int) % $3::int),
              pg_temp.scale_id('user', o * $2::int + j % $2::int),
              'Scale key ' || i, left(s, 12), encode(sha256(convert_to(s, 'UTF8')), 'hex')
         from generate_series(0, $1::int - 1) o, generate_series(0, $4::int - 1) j,
              lateral (select o * $4::int + j as i) n, lateral (select pg_temp.scale_secret(n.i) as s) x`,
      [orgs, u, t, k],
    );
    await client.query('set local session_replication_role = origin');
    const { rows } = await client.query<{ version: string }>(
      'update config_state set version = version + 1 where id = 1 returning version::text',
    );
    await client.query('commit');
    await client.query('analyze organizations, teams, users, user_teams, virtual_keys');
    return Number(rows[0].version);
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Row counts of the world's tables, to check a seed. */
export async function countWorld(pool: pg.Pool): Promise<WorldCounts> {
  const { rows } = await pool.query<Record<keyof WorldCounts, number>>(
    `select (select count(*)::int from organizations) as orgs, (select count(*)::int from teams) as teams,
            (select count(*)::int from users) as users, (select count(*)::int from user_teams) as "userTeams",
            (select count(*)::int from virtual_keys) as keys`,
  );
  return rows[0];
}

/** Whether the control plane captures config changes with row triggers (sync protocol v2's config_changes table). */
export async function capturesChanges(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ t: string | null }>(`select to_regclass('config_changes')::text as t`);
  return rows[0].t !== null;
}

/**
 * `count` committed config changes, each renaming one org (a field the snapshot carries), made while no control plane
 * runs: more versions than a resuming data plane's delta ring may cover, so its next subscription is a full snapshot.
 * Without row-trigger change capture (protocol 1) each transaction also bumps config_state.version itself.
 */
export async function churnVersions(pool: pg.Pool, orgId: string, count: number): Promise<number> {
  const bump = (await capturesChanges(pool)) ? '' : 'update config_state set version = version + 1 where id = 1;';
  await pool.query(
    `do $$ begin
       for i in 1..${Math.trunc(count)} loop
         update organizations set name = 'Scale Org churn ' || i where id = '${orgId}';
         ${bump}
         commit;
       end loop;
     end $$`,
  );
  const { rows } = await pool.query<{ version: string }>('select version::text from config_state where id = 1');
  return Number(rows[0].version);
}
