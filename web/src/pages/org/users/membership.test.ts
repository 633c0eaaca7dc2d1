// Editing a user's teams adds the new memberships and removes the dropped ones, nothing else.
import { describe, expect, it } from 'vitest';
import { membershipChanges } from './membership';

describe('membership changes', () => {
  it('adds new teams and removes dropped ones', () => {
    expect(membershipChanges(['a', 'b'], ['b', 'c'])).toEqual({ add: ['c'], remove: ['a'] });
  });

  it('changes nothing when the teams are the same in another order', () => {
    expect(membershipChanges(['a', 'b'], ['b', 'a'])).toEqual({ add: [], remove: [] });
  });

  it('ignores duplicates', () => {
    expect(membershipChanges([], ['a', 'a'])).toEqual({ add: ['a'], remove: [] });
  });
});
