// A large consistent snapshot (default: 1,000 orgs, 10,000 users, 100,000 keys), shaped like the control plane
// builds it: ids are UUIDs, each user has a team, a tenth of the keys are team keys.
import { createHash } from 'node:crypto';
import { emptySnapshot, type Snapshot } from '@gw/schema';

const uuid = (kind: string, n: number) => {
  const h = createHash('sha256').update(`${kind}${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export function scaleSnapshot(size: { orgs?: number; users?: number; keys?: number } = {}): Snapshot {
  const orgs = size.orgs ?? 1000;
  const users = size.users ?? 10_000;
  const keys = size.keys ?? 100_000;
  const s = emptySnapshot();
  s.credentials.c = { id: 'c', provider: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-provider' };
  for (const name of ['gpt-a', 'gpt-b', 'gpt-c']) {
    s.models[name] = {
      id: name,
      name,
      deployments: [{ credentialId: 'c', upstreamModel: name, weight: 1 }],
      prices: { inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: 0.5 },
    };
  }
  for (let i = 0; i < orgs; i++) {
    const id = uuid('org', i);
    s.orgs[id] = { id, name: `Org ${i}`, status: 'active', ...(i % 10 === 0 && { allowedModels: ['gpt-a'] }) };
    const team = uuid('team', i);
    s.teams[team] = { id: team, orgId: id, name: `Team ${i}`, status: 'active' };
  }
  const orgIds = Object.keys(s.orgs);
  for (let i = 0; i < users; i++) {
    const id = uuid('user', i);
    const orgId = orgIds[i % orgs];
    s.users[id] = { id, orgId, teamIds: [uuid('team', i % orgs)], email: `u${i}@x.test`, status: 'active' };
  }
  const userIds = Object.keys(s.users);
  for (let i = 0; i < keys; i++) {
    const id = uuid('key', i);
    const user = s.users[userIds[i % users]];
    const teamKey = i % 10 === 0;
    s.keys[id] = {
      id,
      hash: createHash('sha256').update(`secret${i}`).digest('hex'),
      prefix: `sk-gw-${id.slice(0, 6)}`,
      orgId: user.orgId,
      teamId: user.teamIds[0],
      userId: teamKey ? null : user.id,
      allowedModels: i % 7 === 0 ? ['gpt-a', 'gpt-b'] : null,
      expiresAt: i % 5 === 0 ? '2030-01-01T00:00:00.000Z' : null,
    };
  }
  return s;
}
