// The team name rule mirrors the server's: required once trimmed, at most 200 characters.
import { describe, expect, it } from 'vitest';
import { teamNameError } from './team-rules';
import { teamActionTexts } from './team-texts';

describe('team name rule', () => {
  it('requires a name that is not only spaces', () => {
    expect(teamNameError('')).toBe('Name is required.');
    expect(teamNameError('   ')).toBe('Name is required.');
  });

  it('accepts 200 characters after trimming, refuses 201', () => {
    expect(teamNameError(` ${'a'.repeat(200)} `)).toBeUndefined();
    expect(teamNameError('a'.repeat(201))).toBe('Name must be at most 200 characters.');
  });
});

describe('team confirmations', () => {
  it('say that deleting revokes the team keys and keeps usage', () => {
    const { title, content, action } = teamActionTexts('Research', 'delete');
    expect(title).toBe('Delete Research?');
    expect(content).toMatch(/keys are revoked/);
    expect(content).toMatch(/Usage history is kept/);
    expect(action).toBe('Delete team');
  });

  it('say that suspending stops the keys until reactivated', () => {
    expect(teamActionTexts('Research', 'suspend').content).toMatch(/stop working .* until you reactivate/);
  });
});
