// Key owners and model lists read the same everywhere they are listed.
import { describe, expect, it } from 'vitest';
import { modelsText, ownerText, previousSecretWorks, timeLeft } from './key-labels';

describe('key labels', () => {
  it('names a user owner with the attribution team, and a team owner', () => {
    const user = { id: 'u', email: 'ada@example.com', name: 'Ada' };
    expect(ownerText({ ownerKind: 'USER', user, team: { id: 't', name: 'Research' } })).toEqual({
      owner: 'Ada (ada@example.com)',
      via: 'via team Research',
    });
    expect(ownerText({ ownerKind: 'TEAM', user: null, team: { id: 't', name: 'Support' } })).toEqual({
      owner: 'Team Support',
      via: null,
    });
  });

  it('summarises model lists', () => {
    expect(modelsText(null)).toBe('Every model');
    expect(modelsText([])).toBe('No model');
    expect(modelsText(['a', 'b'])).toBe('a, b');
    expect(modelsText(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c +2');
  });
});

describe('previous secret after a rotation', () => {
  const now = Date.UTC(2030, 0, 1, 12);
  const at = (ms: number) => new Date(now + ms).toISOString();

  it('works only while its grace period lasts', () => {
    expect(previousSecretWorks(null, now)).toBe(false);
    expect(previousSecretWorks(at(60_000), now)).toBe(true);
    expect(previousSecretWorks(at(0), now)).toBe(false);
    expect(previousSecretWorks(at(-60_000), now)).toBe(false);
    expect(previousSecretWorks('not a date', now)).toBe(false);
  });

  it('says roughly how long is left', () => {
    expect(timeLeft(at(30_000), now)).toBe('less than a minute');
    expect(timeLeft(at(60_000), now)).toBe('1 minute');
    expect(timeLeft(at(45 * 60_000), now)).toBe('45 minutes');
    expect(timeLeft(at(5 * 3600_000), now)).toBe('5 hours');
    expect(timeLeft(at(7 * 24 * 3600_000), now)).toBe('7 days');
  });
});
