// The start-up warm-up (warm-up.ts): it runs before the server listens, reads every entity, and writes nothing.
import { describe, expect, it } from 'vitest';
import { entities } from './modules/index.ts';
import { createCredentialAndModel, createKey, createOrg } from './test-support/fixtures.ts';
import { useApiSuite } from './test-support/suite.ts';
import { warmOrm } from './warm-up.ts';

const t = useApiSuite();

describe('warm-up', () => {
  it('ran at start, over every entity', () => {
    const line = t.app.logs.find((l) => l.msg === 'warmed up');
    expect(line).toMatchObject({ entities: entities.length });
    const listening = t.app.logs.findIndex((l) => l.msg === 'listening');
    expect(t.app.logs.indexOf(line!)).toBeLessThan(listening);
  });

  it('writes nothing, with rows of every kind present', async () => {
    const orgId = await createOrg(t.app, 'Warm');
    await createKey(t.app, { orgId });
    await createCredentialAndModel(t.app);
    const state = () =>
      t.db.query(
        `select (select version from config_state) as version,
                (select count(*) from audit_events) as audits,
                (select json_agg(k order by k.id) from virtual_keys k) as keys,
                (select json_agg(o order by o.id) from organizations o) as orgs`,
      );
    const before = await state();
    expect(await warmOrm(t.app.deps.orm.em.fork())).toBe(entities.length);
    expect(await state()).toEqual(before);
  });
});
