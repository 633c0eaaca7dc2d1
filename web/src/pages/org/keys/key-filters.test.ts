// The keys list sends only the filters the admin set, and knows when the list is narrowed.
import { describe, expect, it } from 'vitest';
import { emptyKeyFilter, isFiltered, keyFilter } from './key-filters';

describe('key list filter', () => {
  it('sends nothing for an untouched filter or a blank search', () => {
    expect(keyFilter(emptyKeyFilter())).toEqual({});
    expect(keyFilter({ ...emptyKeyFilter(), search: '   ' })).toEqual({});
    expect(isFiltered({ ...emptyKeyFilter(), search: '  ' })).toBe(false);
  });

  it('sends every chosen filter, with the search trimmed', () => {
    const values = {
      search: ' sk-ab ',
      status: 'REVOKED' as const,
      ownerKind: 'TEAM' as const,
      teamId: 't1',
      userId: 'u1',
      moduleId: 'm1',
    };
    expect(keyFilter(values)).toEqual({
      search: 'sk-ab',
      status: 'REVOKED',
      ownerKind: 'TEAM',
      teamId: 't1',
      userId: 'u1',
      moduleId: 'm1',
    });
    expect(isFiltered({ ...emptyKeyFilter(), moduleId: 'm1' })).toBe(true);
  });
});
