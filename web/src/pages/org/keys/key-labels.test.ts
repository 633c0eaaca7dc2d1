// Key owners and model lists read the same everywhere they are listed.
import { describe, expect, it } from 'vitest';
import { modelsText, ownerText } from './key-labels';

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
