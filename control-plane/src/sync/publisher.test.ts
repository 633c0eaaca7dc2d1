// Publisher resilience: it survives a dropped LISTEN connection, and never publishes a snapshot it cannot build.
import type { DeltaMessage } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { createCredentialAndModel, createKey, createOrg, createTeam } from '../test-support/fixtures.ts';
import { useApiSuite } from '../test-support/suite.ts';
import { type Feed, subscribeFeed } from '../test-support/sync-feed.ts';
import { dataPlaneToken, waitFor } from '../test-support/test-app.ts';

const t = useApiSuite();

function collect(): Feed {
  return subscribeFeed(t.app.wsClient(dataPlaneToken), 'dp-resilience');
}

describe('publisher', () => {
  it('reconnects LISTEN after the connection is killed and catches up on missed changes', async () => {
    const feed = collect();
    await waitFor(() => feed.messages[0]);
    await t.db.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query ilike 'listen%'`,
    );
    // This change may be committed while no LISTEN connection exists: the rebuild after reconnecting covers it.
    const orgId = await createOrg(t.app, 'After Reconnect');
    const got = await waitFor(() => feed.messages.find((m) => m.type === 'delta' && m.upsert.orgs?.[orgId]), 10_000);
    expect(got).toBeDefined();
    await waitFor(() => t.app.logs.find((l) => l.msg === 'LISTEN connection restored'));
    feed.stop();
  });

  it('keeps the last good snapshot when a build fails, and resumes once the data is fixed', async () => {
    const { credentialId } = await createCredentialAndModel(t.app, 'broken-model');
    await t.app.gql('{ configState { version } }');
    const feed = collect();
    const first = await waitFor(() => feed.messages[0]);
    const [saved] = await t.db.query('select secret_tag from provider_credentials where id = $1', [credentialId]);
    let orgId: string;
    let teamId: string;
    try {
      // A tampered auth tag makes the credential undecryptable: the snapshot cannot be built.
      await t.db.query(
        `update provider_credentials set secret_tag = '\\x00000000000000000000000000000000' where id = $1`,
        [credentialId],
      );
      orgId = await createOrg(t.app, 'Blocked By Corruption');
      teamId = await createTeam(t.app, orgId);
      await waitFor(() => t.app.errorLogs().find((l) => l.msg === 'snapshot build failed'));
      expect(feed.messages).toEqual([first]);
      expect(t.app.deps.publisher.current()?.version).toBe(first.version);
    } finally {
      await t.db.query('update provider_credentials set secret_tag = $1 where id = $2', [
        saved.secret_tag,
        credentialId,
      ]);
    }
    const key = await createKey(t.app, { orgId, teamId });
    // The org created while builds failed arrives once the data is fixed: with the key's delta, or before it when a
    // scheduled retry happens to rebuild first (under load either can win).
    const delta = (pick: (m: DeltaMessage) => unknown) =>
      waitFor(() => feed.messages.find((m) => m.type === 'delta' && pick(m)), 10_000);
    await delta((m) => m.upsert.keys?.[key.id]);
    expect(await delta((m) => m.upsert.orgs?.[orgId])).toBeDefined();
    expect(t.app.deps.publisher.current()?.version).toBeGreaterThan(first.version);
    t.expectErrorLogs(t.app.errorLogs().length);
    feed.stop();
  });

  it('never logs key secrets or provider API keys', async () => {
    const orgId = await createOrg(t.app, 'Quiet Logs');
    const key = await createKey(t.app, { orgId });
    await t.app.gql('{ configState { version } }');
    const text = JSON.stringify(t.app.logs);
    expect(text).not.toContain(key.secret);
    expect(text).not.toContain('sk-upstream-secret-1234');
  });
});
