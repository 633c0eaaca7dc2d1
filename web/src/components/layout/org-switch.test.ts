// Switching orgs keeps the section and drops what belonged to the org being left.
import { describe, expect, it } from 'vitest';
import { navEntry } from '../../navigation';
import { orgSwitchTarget } from './org-switch';

describe('org switch target', () => {
  it('keeps a menu section of the org panel', () => {
    expect(orgSwitchTarget({ name: 'org-users', meta: { nav: navEntry('org', 30, 'Users') } }, 'o2')).toEqual({
      name: 'org-users',
      params: { orgId: 'o2' },
    });
  });

  it('goes from a detail page to its section', () => {
    expect(orgSwitchTarget({ name: 'org-user', meta: { navSection: 'org-users' } }, 'o2')).toEqual({
      name: 'org-users',
      params: { orgId: 'o2' },
    });
  });

  it('falls back to the overview', () => {
    expect(orgSwitchTarget({ name: 'org-something', meta: {} }, 'o2')).toEqual({
      name: 'org-overview',
      params: { orgId: 'o2' },
    });
  });
});
