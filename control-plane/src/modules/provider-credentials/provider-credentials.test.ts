// Provider credentials: encrypted at rest, masked in the API, renamed, repointed, rotated and deleted (not while in
// use), each change audited without the key; platform admins only.
import { describe, expect, it } from 'vitest';
import { createOrg, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { waitFor } from '../../test-support/test-app.ts';

const t = useApiSuite();

const fields = 'id name provider baseUrl secretHint rotatedAt usedByModels';
const createCredential = `mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { ${fields} } }`;
const updateCredential = `mutation($i: UpdateProviderCredentialInput!) { updateProviderCredential(input: $i) { ${fields} } }`;
const rotateCredential = `mutation($i: RotateProviderCredentialInput!) { rotateProviderCredential(input: $i) { ${fields} } }`;
const deleteCredential = `mutation($id: ID!) { deleteProviderCredential(id: $id) { id name } }`;
const createModel = 'mutation($i: CreateModelInput!) { createModel(input: $i) { id } }';

type Cred = { id: string; name: string; baseUrl: string; secretHint: string; rotatedAt: string | null };
const ext = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions;

async function credential(name: string, apiKey = 'sk-test-secret-000001', baseUrl = 'http://127.0.0.1:9/v1') {
  const r = await must<{ createProviderCredential: Cred }>(
    t.app.gql(createCredential, { i: { name, provider: 'OPENAI', baseUrl, apiKey } }),
  );
  return r.createProviderCredential;
}

/** The snapshot the publisher holds once it has caught up with the database. */
async function snapshotAfterChange() {
  const [{ version }] = await t.db.query<{ version: string }>('select version from config_state');
  return waitFor(() => {
    const current = t.app.deps.publisher.current();
    return current && current.version >= Number(version) ? current.snapshot : undefined;
  });
}

async function audit(targetId: string) {
  return t.db.query<{ action: string; before: unknown; after: unknown }>(
    'select action, before, after from audit_events where target_id = $1 order by id',
    [targetId],
  );
}

describe('provider credentials', () => {
  it('stores the API key encrypted, shows only a hint, and sends the key to data planes only', async () => {
    const apiKey = 'sk-proj-very-secret-value-9876';
    const c = await credential('openai', apiKey, 'https://api.openai.com/v1');
    expect(c).toMatchObject({ name: 'openai', baseUrl: 'https://api.openai.com/v1', secretHint: 'sk-...9876' });
    const [row] = await t.db.query('select * from provider_credentials where id = $1', [c.id]);
    expect(row.secret_iv).toHaveLength(12);
    expect(row.secret_tag).toHaveLength(16);
    expect(JSON.stringify(row)).not.toContain(apiKey);
    expect(Buffer.from(row.secret_ciphertext).toString('utf8')).not.toContain('secret');
    expect((await snapshotAfterChange()).credentials[c.id].apiKey).toBe(apiKey);
    const events = await audit(c.id);
    expect(events.map((e) => e.action)).toEqual(['providerCredential.create']);
    expect(JSON.stringify(events)).not.toContain(apiKey);
  });

  it('rejects bad base URLs, bad keys and duplicate names with the field to fix', async () => {
    const input = { name: 'x', provider: 'OPENAI', baseUrl: 'https://api.example.com/v1', apiKey: 'sk-1' };
    for (const baseUrl of ['not a url', 'ftp://host/v1', 'https://user:pw@host/v1', 'https://h/v1?x=1']) {
      expect(ext(await t.app.gql(createCredential, { i: { ...input, baseUrl } }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.baseUrl',
      });
    }
    for (const apiKey of ['  ', 'sk one', 'sk-\n1']) {
      expect(ext(await t.app.gql(createCredential, { i: { ...input, apiKey } }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.apiKey',
      });
    }
    await credential('twice');
    expect(ext(await t.app.gql(createCredential, { i: { ...input, name: 'twice' } }))).toEqual({
      code: 'CONFLICT',
      field: 'input.name',
    });
  });

  it('lists credentials as a connection, filtered by provider and name', async () => {
    await credential('list-alpha');
    await credential('list-beta');
    const q = `query($f: ProviderCredentialFilter, $first: Int, $after: String) {
      providerCredentials(filter: $f, first: $first, after: $after) {
        totalCount nodes { name } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      providerCredentials: { totalCount: number; nodes: { name: string }[]; pageInfo: { endCursor: string } };
    };
    const first = await must<Page>(t.app.gql(q, { f: { nameContains: 'LIST-' }, first: 1 }));
    expect(first.providerCredentials).toMatchObject({ totalCount: 2, nodes: [{ name: 'list-alpha' }] });
    const second = await must<Page>(
      t.app.gql(q, { f: { nameContains: 'list-' }, first: 1, after: first.providerCredentials.pageInfo.endCursor }),
    );
    expect(second.providerCredentials.nodes).toEqual([{ name: 'list-beta' }]);
    const wildcard = await must<Page>(t.app.gql(q, { f: { nameContains: '%' } }));
    expect(wildcard.providerCredentials.totalCount).toBe(0);
    const byProvider = await must<Page>(t.app.gql(q, { f: { provider: 'OPENAI' } }));
    expect(byProvider.providerCredentials.totalCount).toBeGreaterThanOrEqual(2);
  });

  it('renames and repoints a credential; the new base URL reaches the snapshot', async () => {
    const c = await credential('to-rename');
    const r = await must<{ updateProviderCredential: Cred }>(
      t.app.gql(updateCredential, { i: { id: c.id, name: 'renamed', baseUrl: 'http://127.0.0.1:10/v1' } }),
    );
    expect(r.updateProviderCredential).toMatchObject({ name: 'renamed', baseUrl: 'http://127.0.0.1:10/v1' });
    expect((await snapshotAfterChange()).credentials[c.id].baseUrl).toBe('http://127.0.0.1:10/v1');
    await credential('taken');
    expect(ext(await t.app.gql(updateCredential, { i: { id: c.id, name: 'taken' } }))).toEqual({
      code: 'CONFLICT',
      field: 'input.name',
    });
    expect(ext(await t.app.gql(updateCredential, { i: { id: c.id, baseUrl: 'nope' } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.baseUrl',
    });
    expect(ext(await t.app.gql(updateCredential, { i: { id: '00000000-0000-4000-8000-000000000000' } }))).toEqual({
      code: 'NOT_FOUND',
      field: 'input.id',
    });
    expect((await audit(c.id)).at(-1)).toMatchObject({
      action: 'providerCredential.update',
      before: { name: 'to-rename' },
      after: { name: 'renamed', baseUrl: 'http://127.0.0.1:10/v1' },
    });
  });

  it('rotates the key: new hint and ciphertext, the new key in the snapshot, never in the audit log', async () => {
    const c = await credential('rotating', 'sk-old-key-aaaa1111');
    const [before] = await t.db.query('select secret_ciphertext from provider_credentials where id = $1', [c.id]);
    const r = await must<{ rotateProviderCredential: Cred }>(
      t.app.gql(rotateCredential, { i: { id: c.id, apiKey: 'sk-new-key-bbbb2222' } }),
    );
    expect(r.rotateProviderCredential.secretHint).toBe('sk-...2222');
    expect(r.rotateProviderCredential.rotatedAt).not.toBeNull();
    const [after] = await t.db.query('select secret_ciphertext from provider_credentials where id = $1', [c.id]);
    expect(Buffer.compare(before.secret_ciphertext, after.secret_ciphertext)).not.toBe(0);
    expect((await snapshotAfterChange()).credentials[c.id].apiKey).toBe('sk-new-key-bbbb2222');
    expect(ext(await t.app.gql(rotateCredential, { i: { id: c.id, apiKey: 'sk-new-key-bbbb2222' } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.apiKey',
    });
    const events = await audit(c.id);
    expect(events.at(-1)).toMatchObject({
      action: 'providerCredential.rotate',
      before: { hint: 'sk-...1111' },
      after: { hint: 'sk-...2222' },
    });
    expect(JSON.stringify(events)).not.toMatch(/sk-(old|new)-key/);
  });

  it('refuses to delete a credential a deployment uses, naming the models, then deletes it once unused', async () => {
    const c = await credential('in-use');
    const made = await must<{ createModel: { id: string } }>(
      t.app.gql(createModel, {
        i: {
          name: 'uses-cred',
          deployments: [{ credentialId: c.id, upstreamModel: 'u' }],
          inputPricePerMTok: 1,
          outputPricePerMTok: 1,
        },
      }),
    );
    const listed = await must<{ providerCredential: { usedByModels: string[] } }>(
      t.app.gql('query($id: ID!) { providerCredential(id: $id) { usedByModels } }', { id: c.id }),
    );
    expect(listed.providerCredential.usedByModels).toEqual(['uses-cred']);
    const refused = await t.app.gql(deleteCredential, { id: c.id });
    expect(ext(refused)).toEqual({ code: 'CONFLICT', field: 'id' });
    expect(refused.errors?.[0].message).toContain('uses-cred');

    await must(t.app.gql('mutation($id: ID!) { deleteModel(id: $id) { id } }', { id: made.createModel.id }));
    const deleted = await must<{ deleteProviderCredential: { id: string } }>(t.app.gql(deleteCredential, { id: c.id }));
    expect(deleted.deleteProviderCredential.id).toBe(c.id);
    expect(await t.db.query('select 1 from provider_credentials where id = $1', [c.id])).toEqual([]);
    expect((await snapshotAfterChange()).credentials[c.id]).toBeUndefined();
    expect((await audit(c.id)).at(-1)).toMatchObject({ action: 'providerCredential.delete', after: null });
    expect(ext(await t.app.gql(deleteCredential, { id: c.id }))).toEqual({ code: 'NOT_FOUND', field: 'id' });
  });

  it('is platform-only: org admins and viewers can neither read nor change credentials', async () => {
    const org = await createOrg(t.app, 'No Creds');
    const c = await credential('hidden');
    for (const role of ['ORG_ADMIN', 'ORG_VIEWER']) {
      const { createApiToken } = await must<{ createApiToken: { token: string } }>(
        t.app.gql('mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }', {
          i: { name: `t-${role}`, role, orgId: org },
        }),
      );
      const token = createApiToken.token;
      const calls: [string, Record<string, unknown>][] = [
        ['{ providerCredentials { totalCount } }', {}],
        ['query($id: ID!) { providerCredential(id: $id) { id } }', { id: c.id }],
        [createCredential, { i: { name: 'x', provider: 'OPENAI', baseUrl: 'http://h/v1', apiKey: 'k' } }],
        [updateCredential, { i: { id: c.id, name: 'y' } }],
        [rotateCredential, { i: { id: c.id, apiKey: 'sk-other' } }],
        [deleteCredential, { id: c.id }],
      ];
      for (const [query, variables] of calls) {
        expect(ext(await t.app.gql(query, variables, token)), `${role} ${query}`).toMatchObject({ code: 'FORBIDDEN' });
      }
    }
  });
});
