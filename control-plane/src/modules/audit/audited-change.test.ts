// The audited-change helper on its own: the steps run in order in one transaction, the audit event records the
// views before and after, and a failure at any step leaves neither the change nor its audit event behind.
import 'reflect-metadata';
import { LockMode } from '@mikro-orm/core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/caller.ts';
import { closeOrm, createOrm, migrate, type Orm } from '../../db/orm.ts';
import { notFound } from '../../errors.ts';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-db.ts';
import { OrganizationEntity, type OrganizationRecord } from '../organizations/organization.entity.ts';
import { type AuditedChange, auditedChange } from './audited-change.ts';

const silent = pino({ level: 'silent' });
const actor: Principal = { kind: 'admin_user', id: null, label: 'helper-test@example.com' };
let db: TestDatabase;
let orm: Orm;
let orgId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await createOrm(db.url, silent);
  await migrate(orm, silent);
  [{ id: orgId }] = await db.query<{ id: string }>(
    "insert into organizations (id, name, slug) values (gen_random_uuid(), 'Helper', 'helper') returning id",
  );
});
afterAll(async () => {
  await closeOrm(orm);
  await db.drop();
});

const events = () =>
  db.query<{ action: string; actor_label: string; target_id: string; org_id: string; before: unknown; after: unknown }>(
    "select action, actor_label, target_id, org_id, before, after from audit_events where action like 'test.%' order by id",
  );
const orgName = async () =>
  (await db.query<{ name: string }>('select name from organizations where id = $1', [orgId]))[0].name;

/** A rename of the org, each step noting that it ran; `fail` makes one step throw. */
function rename(to: string, steps: string[], fail?: string): AuditedChange<OrganizationRecord, OrganizationRecord> {
  const step = (name: string) => {
    steps.push(name);
    if (name === fail) throw notFound('id', `${name} failed`);
  };
  return {
    action: `test.${fail ?? 'rename'}`,
    lock: async (em) => {
      step('lock');
      return em.findOneOrFail(OrganizationEntity, { id: orgId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    },
    before: (_, org) => {
      step('before');
      return { name: org.name };
    },
    mutate: async (_, org) => {
      step('mutate');
      org.name = to;
      return org;
    },
    after: (_, org) => {
      step('after');
      return { name: org.name };
    },
    target: (org) => {
      step('target');
      return { type: 'organization', id: org.id, orgId: org.id };
    },
  };
}

describe('auditedChange', () => {
  it('locks, reads before, mutates, reads after and audits, in that order, and commits it all', async () => {
    const steps: string[] = [];
    const result = await auditedChange(orm.em.fork(), actor, rename('Renamed', steps));
    expect(result.name).toBe('Renamed');
    expect(steps).toEqual(['lock', 'before', 'mutate', 'after', 'target']);
    expect(await orgName()).toBe('Renamed');
    expect(await events()).toEqual([
      {
        action: 'test.rename',
        actor_label: actor.label,
        target_id: orgId,
        org_id: orgId,
        before: { name: 'Helper' },
        after: { name: 'Renamed' },
      },
    ]);
  });

  it.each(['lock', 'before', 'mutate', 'after', 'target'])(
    'leaves neither the change nor an audit event when %s fails',
    async (fail) => {
      const name = await orgName();
      const steps: string[] = [];
      await expect(auditedChange(orm.em.fork(), actor, rename('Never', steps, fail))).rejects.toThrow(`${fail} failed`);
      expect(steps.at(-1)).toBe(fail);
      expect(await orgName()).toBe(name);
      expect((await events()).filter((e) => e.action === `test.${fail}`)).toEqual([]);
    },
  );

  it('turns a unique violation into CONFLICT', async () => {
    await db.query("insert into organizations (id, name, slug) values (gen_random_uuid(), 'Other', 'taken')");
    const change = auditedChange(orm.em.fork(), actor, {
      action: 'test.slug',
      mutate: async (em) => em.create(OrganizationEntity, { name: 'Dup', slug: 'taken' }),
      target: (org) => ({ type: 'organization', id: org.id, orgId: org.id }),
    });
    await expect(change).rejects.toMatchObject({ extensions: { code: 'CONFLICT', field: 'input.slug' } });
    expect((await events()).filter((e) => e.action === 'test.slug')).toEqual([]);
  });
});
