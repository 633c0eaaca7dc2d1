// Provider credentials are encrypted at rest and masked in the API; models validate prices, names and credentials.
import { describe, expect, it } from 'vitest';
import { must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';

const t = useApiSuite();

const createCredential =
  'mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id name provider baseUrl secretHint } }';
const createModel =
  'mutation($i: CreateModelInput!) { createModel(input: $i) { id name credentialId upstreamModel inputPricePerMTok outputPricePerMTok cachedInputPricePerMTok } }';

describe('provider credentials', () => {
  it('stores the API key encrypted and shows only a hint', async () => {
    const apiKey = 'sk-proj-very-secret-value-9876';
    const r = await must<{ createProviderCredential: { id: string } }>(
      t.app.gql(createCredential, {
        i: { name: 'openai', provider: 'OPENAI', baseUrl: 'https://api.openai.com/v1', apiKey },
      }),
    );
    const listed = await t.app.gql<{ providerCredentials: unknown[] }>(
      '{ providerCredentials { id name provider baseUrl secretHint } }',
    );
    expect(listed.data?.providerCredentials).toEqual([
      {
        id: r.createProviderCredential.id,
        name: 'openai',
        provider: 'OPENAI',
        baseUrl: 'https://api.openai.com/v1',
        secretHint: 'sk-...9876',
      },
    ]);
    const [row] = await t.db.query('select * from provider_credentials');
    expect(row.secret_iv).toHaveLength(12);
    expect(row.secret_tag).toHaveLength(16);
    expect(Buffer.from(row.secret_ciphertext).toString('utf8')).not.toContain('secret');
    expect(JSON.stringify(row)).not.toContain(apiKey);
    // The data planes get the plaintext (over the authenticated channel) in the snapshot.
    await t.app.gql('{ configState { version } }');
    const snapshot = t.app.deps.publisher.current()!.snapshot;
    expect(snapshot.credentials[r.createProviderCredential.id].apiKey).toBe(apiKey);
  });

  it('rejects bad base URLs, empty keys and duplicate names', async () => {
    const input = { name: 'x', provider: 'OPENAI', baseUrl: 'https://api.example.com/v1', apiKey: 'sk-1' };
    for (const baseUrl of ['not a url', 'ftp://host/v1', 'https://user:pw@host/v1']) {
      const r = await t.app.gql(createCredential, { i: { ...input, baseUrl } });
      expect(r.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.baseUrl' });
    }
    const empty = await t.app.gql(createCredential, { i: { ...input, apiKey: '  ' } });
    expect(empty.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.apiKey' });
    await must(t.app.gql(createCredential, { i: { ...input, name: 'twice' } }));
    const dup = await t.app.gql(createCredential, { i: { ...input, name: 'twice' } });
    expect(dup.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'input.name' });
  });
});

describe('models', () => {
  it('creates models, defaulting the cached price to the input price', async () => {
    const cred = await must<{ createProviderCredential: { id: string } }>(
      t.app.gql(createCredential, {
        i: { name: 'm-cred', provider: 'OPENAI', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-abc' },
      }),
    );
    const credentialId = cred.createProviderCredential.id;
    const r = await t.app.gql<{ createModel: Record<string, unknown> }>(createModel, {
      i: { name: 'gpt-4.1', credentialId, upstreamModel: 'gpt-4.1-2025', inputPricePerMTok: 2, outputPricePerMTok: 8 },
    });
    expect(r.data?.createModel).toMatchObject({
      name: 'gpt-4.1',
      credentialId,
      inputPricePerMTok: 2,
      outputPricePerMTok: 8,
      cachedInputPricePerMTok: 2,
    });
    const listed = await t.app.gql<{ models: { name: string }[] }>('{ models { name } }');
    expect(listed.data?.models.map((m) => m.name)).toContain('gpt-4.1');

    const base = { name: 'other', credentialId, upstreamModel: 'u', inputPricePerMTok: 1, outputPricePerMTok: 1 };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ inputPricePerMTok: -1 }, 'BAD_USER_INPUT', 'input.inputPricePerMTok'],
      [{ outputPricePerMTok: -0.01 }, 'BAD_USER_INPUT', 'input.outputPricePerMTok'],
      [{ cachedInputPricePerMTok: -5 }, 'BAD_USER_INPUT', 'input.cachedInputPricePerMTok'],
      [{ name: 'gpt-4.1' }, 'CONFLICT', 'input.name'],
      [{ name: 'has space' }, 'BAD_USER_INPUT', 'input.name'],
      [{ credentialId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'input.credentialId'],
    ];
    for (const [patch, code, field] of cases) {
      const bad = await t.app.gql(createModel, { i: { ...base, ...patch } });
      expect(bad.errors?.[0].extensions, JSON.stringify(patch)).toEqual({ code, field });
    }
  });
});
