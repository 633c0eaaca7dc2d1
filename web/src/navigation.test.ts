import { describe, expect, it } from 'vitest';
import { panelAllows } from './navigation';

describe('panelAllows', () => {
  const platform = { role: 'PLATFORM_ADMIN', orgId: null };
  const orgAdmin = { role: 'ORG_ADMIN', orgId: 'o1' };
  const viewer = { role: 'ORG_VIEWER', orgId: 'o1' };

  it('lets platform admins open every panel', () => {
    expect(panelAllows(platform, 'platform', undefined)).toBe(true);
    expect(panelAllows(platform, 'org', 'o2')).toBe(true);
  });

  it('keeps org roles out of the platform panel and other orgs, and in their own org', () => {
    for (const admin of [orgAdmin, viewer]) {
      expect(panelAllows(admin, 'platform', undefined)).toBe(false);
      expect(panelAllows(admin, 'org', 'o2')).toBe(false);
      expect(panelAllows(admin, 'org', 'o1')).toBe(true);
      expect(panelAllows(admin, undefined, undefined)).toBe(true);
    }
  });
});
